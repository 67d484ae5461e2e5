"""Interactive network maps and HTML reports built from a graph and its findings.

The visualizations run no checks of their own: they take the embedded graph
(:mod:`graphmodel.embedded`) and the findings of :func:`queries.runner.run_checks`.

- :mod:`visualizations.encoding`: shapes, colours (colour-blind safe, all distinct) and
  edge styles keyed by the schema; page texts in English and Chinese;
- :mod:`visualizations.views`: the units, party, referral and full views and their
  filters (region, medical community, check);
- :mod:`visualizations.overview`: one node per region for large institution views;
- :mod:`visualizations.aggregate`: folding other views above 3,000 nodes;
- :mod:`visualizations.layout`: positions (rings, layered trees, labels kept apart);
- :mod:`visualizations.redact`: stable pseudonyms for member names;
- :mod:`visualizations.maps`: :func:`~visualizations.maps.map_model` (the map as data) and
  :func:`~visualizations.maps.map_html`, one offline HTML file;
- :mod:`visualizations.report`: :func:`~visualizations.report.report_html`, the report page;
- :mod:`visualizations.templating`: the Jinja2 templates (autoescaped) and inlined assets.
"""
