"""Interactive network maps and HTML reports built from a graph and its findings.

The visualizations run no checks of their own: they take the embedded graph
(:mod:`orgnet.graphmodel.embedded`) and the findings of :func:`orgnet.queries.runner.run_checks`.

- :mod:`orgnet.visualizations.encoding`: shapes, colours (colour-blind safe, all distinct) and
  edge styles keyed by the schema; page texts in English and Chinese;
- :mod:`orgnet.visualizations.views`: the units, party, referral and full views and their
  filters (region, medical community, check);
- :mod:`orgnet.visualizations.overview`: one node per region for large institution views;
- :mod:`orgnet.visualizations.aggregate`: folding other views above 3,000 nodes;
- :mod:`orgnet.visualizations.layout`: positions (rings, layered trees, labels kept apart);
- :mod:`orgnet.visualizations.redact`: stable pseudonyms for member names;
- :mod:`orgnet.visualizations.maps`: :func:`~visualizations.maps.map_model` (the map as data) and
  :func:`~visualizations.maps.map_html`, one offline HTML file;
- :mod:`orgnet.visualizations.report`: :func:`~visualizations.report.report_html`, the report page;
- :mod:`orgnet.visualizations.templating`: the Jinja2 templates (autoescaped) and inlined assets.
"""
