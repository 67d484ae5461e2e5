"""The ``orgnet`` command group.

Each ``cmd_*`` module holds a few thin commands (parse options, open resources,
call one library function, format the result); this module only puts them
together.  The group is an :class:`orgnet._click_zh.OrgnetGroup`, so that click's
own words (usage lines, help headings, usage errors) follow ``--lang``.
"""

from __future__ import annotations

import click

from orgnet._click_zh import OrgnetGroup
from orgnet import (
    __version__, cmd_check, cmd_compare, cmd_data, cmd_export, cmd_generate, cmd_map,
    cmd_metrics, cmd_neo4j, cmd_plan, cmd_resilience, cmd_whatif,
)

__all__ = ["main"]

_MODULES = (cmd_data, cmd_check, cmd_map, cmd_neo4j, cmd_generate, cmd_metrics, cmd_compare,
            cmd_export, cmd_whatif, cmd_resilience, cmd_plan)


@click.group(cls=OrgnetGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="orgnet")
def main():
    """Find the gaps in party organization coverage of primary health care networks.

    Example: orgnet check examples/county-medical-community --lang zh
    """


for _module in _MODULES:
    for _command in _module.COMMANDS:
        main.add_command(_command)
