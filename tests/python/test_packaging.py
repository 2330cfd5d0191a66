"""`pip install .`: the wheel scikit-build-core builds holds the package and the CLI, and works.

Builds the wheel from this checkout without network (no build isolation: scikit-build-core and
pybind11 come from requirements.txt), installs it into a fresh virtual environment, and runs
both front ends from there. The dependencies (numpy, xarray, ...) are lent to the fresh
environment by a .pth file pointing at this interpreter's site-packages.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import zipfile

import pytest

from conftest import EPOCH, SOURCE_DIR, licsim


def _run(*args, env=None, cwd=None, timeout=600):
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(map(str, args))}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheelhouse")
    # At the depth of build/release under the source tree: with ccache (CMakeLists.txt) the
    # wheel's compiler calls are build/release's, and its objects are reused.
    # The same compiler too: ccache tells c++ from g++.
    build = SOURCE_DIR / "build" / "wheel-test"
    shutil.rmtree(build, ignore_errors=True)
    same_compiler = []
    cache = SOURCE_DIR / "build" / "release" / "CMakeCache.txt"
    if cache.is_file():
        same_compiler = [f"-Ccmake.define.{line.split(':', 1)[0]}={line.split('=', 1)[1]}"
                         for line in cache.read_text().splitlines()
                         if line.startswith(("CMAKE_CXX_COMPILER:", "CMAKE_C_COMPILER:"))]
    _run(sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index",
         "--disable-pip-version-check", "-q", "-w", out, "-C", f"build-dir={build}", *same_compiler, SOURCE_DIR)
    (path,) = out.glob("licsim-*.whl")
    return path


def test_the_core_stub_names_exactly_what_the_module_binds():
    """bindings/licsim/_core.pyi types licsim._core for editors and type checkers: a binding added,
    renamed or removed without its stub fails here."""
    import ast
    import inspect

    from licsim import _core

    stub = {}
    for node in ast.parse((SOURCE_DIR / "bindings" / "licsim" / "_core.pyi").read_text()).body:
        if isinstance(node, ast.ClassDef):
            stub[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")}
        elif isinstance(node, ast.FunctionDef):
            stub[node.name] = None
        elif isinstance(node, ast.AnnAssign):
            stub[node.target.id] = None
    bound = {}
    for name in dir(_core):
        if name.startswith("__") and name != "__version__":
            continue
        obj = getattr(_core, name)
        bound[name] = {m for m in vars(obj) if not m.startswith("_")} if inspect.isclass(obj) else None
    assert stub == bound


def test_wheel_holds_package_scenarios_and_cli(wheel):
    assert wheel.name.startswith(f"licsim-{licsim.__version__}-")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("licsim/_core.") and n.endswith(".so") for n in names)
    for name in ("licsim/__init__.py", "licsim/scenario.py", "licsim/result.py", "licsim/analysis/__init__.py",
                 "licsim/_core.pyi", "licsim/py.typed",
                 "licsim/analysis/sensitivity.py", "licsim/scenarios/state_only.toml",
                 "licsim/scenarios/data/jurisdictions.csv", f"licsim-{licsim.__version__}.data/scripts/licsim"):
        assert name in names, name
    assert not [n for n in names if "doctest" in n or "licsim_tests" in n or "bench" in n]


def _package_files(root) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith("_core.")}


def test_the_wheel_and_the_developer_install_have_one_layout(wheel):
    """pyproject.toml's [tool.scikit-build.wheel.packages] is the package's layout; the wheel
    follows it, and the developer install (cmake --install, which the tests import) holds the
    same files, each with the same bytes as its source."""
    import tomllib
    from pathlib import Path

    table = tomllib.loads((SOURCE_DIR / "pyproject.toml").read_text())["tool"]["scikit-build"]["wheel"]["packages"]
    assert table == {"licsim": "bindings/licsim", "licsim/analysis": "analysis", "licsim/scenarios": "scenarios"}
    expected = {}
    for target, source in table.items():
        for rel in _package_files(SOURCE_DIR / source):
            expected[f"{target}/{rel}"] = SOURCE_DIR / source / rel
    in_wheel = {n for n in zipfile.ZipFile(wheel).namelist()
                if n.startswith("licsim/") and not n.startswith("licsim/_core.")}
    assert in_wheel == set(expected)
    installed = Path(licsim.__file__).parent
    assert {f"licsim/{rel}" for rel in _package_files(installed)} == set(expected)
    for name, source in expected.items():
        assert (installed / name.removeprefix("licsim/")).read_bytes() == source.read_bytes(), name


def test_fresh_venv_gets_import_licsim_and_the_cli(wheel, tmp_path):
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python, cli = venv / "bin" / "python", venv / "bin" / "licsim"
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    lend = [p for p in site.getsitepackages() if os.path.isdir(p)]
    (venv / purelib / "_lend_dependencies.pth").write_text("\n".join(lend) + "\n")
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
         "--disable-pip-version-check", "-q", wheel)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LICSIM_CLI", "LICSIM_BUILD_DIR")}
    env["SOURCE_DATE_EPOCH"] = EPOCH

    assert cli.is_file()
    assert _run(cli, "--version", env=env).stdout.strip() == f"licsim {licsim.__version__}"
    _run(cli, "run", SOURCE_DIR / "scenarios" / "state_only.toml", "-o", tmp_path / "cli.h5", "--days", "5",
         "--scale", "0.0002", "-q", env=env)
    # A shipped scenario by name is the installed package's copy, found beside the CLI.
    shipped = _run(cli, "validate", "imlc", env=env, cwd=tmp_path).stdout
    assert shipped.startswith(str(venv)) and "/licsim/scenarios/imlc.toml: ok" in shipped, shipped
    script = (
        "import licsim, sys\n"
        f"assert licsim.__file__.startswith({str(venv)!r}), licsim.__file__\n"
        f"r = licsim.run({str(SOURCE_DIR / 'scenarios' / 'state_only.toml')!r}, days=5, scale=0.0002)\n"
        f"r.save({str(tmp_path / 'py.h5')!r})\n"
        "assert licsim.scenario_path('imlc').is_file()\n"
        "print(licsim.__version__)\n"
    )
    assert _run(python, "-c", script, env=env, cwd=tmp_path).stdout.strip() == licsim.__version__
    assert (tmp_path / "py.h5").read_bytes() == (tmp_path / "cli.h5").read_bytes()
