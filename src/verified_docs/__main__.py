"""`python -m verified_docs prebuild|postbuild`: the engine's steps for a generator without its
plugin (Zensical), reading the same mkdocs.yml.

    python -m verified_docs prebuild            # notebooks, figures, ledger.md, KaTeX assets -> docs/
    zensical build
    python -m verified_docs postbuild site      # KaTeX font preloads, figure sizes, notebook CSS pruning

prebuild writes generated files into docs/: run it in a copy of the project, or keep them out
of version control (they are build output).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from .engine import Engine
from .errors import EngineError
from .figures import Figures
from .fonts import FontPreloads
from .katex import math_output
from .ledger import LEDGER, page_url
from .mkdocs_config import extension_options, nav_titles, plugin_options, read_config
from .project import DEFAULTS, Project
from .steps import postbuild_site, prebuild, write_prebuilt


def project_of(config: dict, root: Path) -> Project:
    options = extension_options(config)
    return Project.at(root / options.get("root", "."), **{k: options[k] for k in DEFAULTS if k in options})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m verified_docs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default="mkdocs.yml", help="the site's configuration (default mkdocs.yml)")
    steps = parser.add_subparsers(dest="step", required=True)
    before = steps.add_parser("prebuild", help="write notebooks, figures, the ledger and KaTeX's assets into docs/")
    before.add_argument("--require-passed", action="store_true", help="fail unless every claim passed")
    before.add_argument("--no-notebooks", action="store_true", help="skip executing docs/notebooks/*.py")
    after = steps.add_parser("postbuild", help="finish every page of a built site")
    after.add_argument("site_dir", type=Path)
    args = parser.parse_args(argv)

    config_path = Path(args.config).resolve()
    try:
        config = read_config(config_path)
        project = project_of(config, config_path.parent)
        output = math_output(extension_options(config).get("math_output"))
        if args.step == "prebuild":
            engine = Engine(project, math_output=output)  # docs/ledger.md may be its own earlier output: overwritten
            engine.titles = nav_titles(config.get("nav") or [])
            directory_urls = config.get("use_directory_urls", True) is not False
            try:
                urls = {page: page_url(page, directory_urls) for page in [*engine.index.pages, LEDGER]}
                prebuilt = prebuild(engine, Figures(project), require_passed=args.require_passed,
                                    notebooks=not args.no_notebooks, urls=urls,
                                    repo_url=plugin_options(config).get("repo_url") or config.get("repo_url") or "",
                                    render=extension_options(config).get("render", True))
            finally:
                engine.close()
            written = write_prebuilt(prebuilt, project.docs_dir)
            print(f"verified_docs: wrote {len(written) + len(prebuilt.notebooks)} files into {project.shown(project.docs_dir)}/")
        else:
            changed = postbuild_site(args.site_dir, FontPreloads(project.katex_dist / "katex.min.css"), output=output, project=project)
            print(f"verified_docs: finished {changed} pages of {args.site_dir}")
    except (EngineError, yaml.YAMLError) as error:
        print(f"verified_docs: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
