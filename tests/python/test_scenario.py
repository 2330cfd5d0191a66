"""licsim.Scenario: a scenario from a file, TOML text or a dict, with overrides checked like --set."""

from __future__ import annotations

import os
import tomllib

import pytest

from conftest import SHIPPED as SCENARIO, SOURCE_DIR, licsim  # the shipped file itself: its data paths, its base

BASE = SCENARIO.as_posix()


def test_file_text_and_dict_give_the_same_scenario():
    from_file = licsim.Scenario(SCENARIO)
    text = SCENARIO.read_text()
    from_text = licsim.Scenario(text, base_dir=SCENARIO.parent)
    from_dict = licsim.Scenario(tomllib.loads(text), base_dir=SCENARIO.parent)
    assert from_file.to_toml() == from_text.to_toml() == from_dict.to_toml()
    assert from_file.source == str(SCENARIO)
    assert from_text.source == "<string>"
    assert from_dict.source == "<dict>"
    assert from_file.jurisdictions == from_dict.jurisdictions and len(from_file.jurisdictions) == 51


def test_dict_with_base_nested_and_dotted_keys():
    nested = licsim.Scenario({"base": BASE, "population": {"lep_share": 0.2}, "compact": {"enabled": True}})
    dotted = licsim.Scenario({"base": BASE, "population.lep_share": 0.2, "compact.enabled": True})
    assert nested.to_toml() == dotted.to_toml()
    assert nested["population.lep_share"] == 0.2 and nested["compact.enabled"] is True
    assert nested.origin("population.lep_share") == ("<dict>", 0)
    assert licsim.Scenario.from_dict({"base": SCENARIO}).to_toml() == licsim.Scenario(SCENARIO).to_toml()


def test_base_resolves_against_base_dir(tmp_path):
    relative = os.path.relpath(SCENARIO, SOURCE_DIR / "scenarios")
    s = licsim.Scenario({"base": relative}, base_dir=SOURCE_DIR / "scenarios")
    assert s.to_toml() == licsim.Scenario(SCENARIO).to_toml()
    text = f'base = "{relative}"\n[population]\nlep_share = 0.3\n'
    assert licsim.Scenario.from_toml(text, base_dir=SOURCE_DIR / "scenarios")["population.lep_share"] == 0.3


def test_scenario_equals_cli_resolution_for_regime_files():
    for name in licsim.available_scenarios():
        path = licsim.scenario_path(name)
        assert licsim.Scenario(path).to_toml() == licsim.resolved_scenario(path)
    assert {"state_only", "imlc", "telemed_act", "national_license", "covid_waiver"} <= set(licsim.available_scenarios())
    assert licsim.scenario_path("imlc") == licsim.scenario_path("imlc.toml")
    with pytest.raises(FileNotFoundError, match="state_only"):
        licsim.scenario_path("no_such_regime")


def test_shipped_scenarios_match_the_repository():
    for path in (SOURCE_DIR / "scenarios").glob("*.toml"):
        assert licsim.scenario_path(path.stem).read_text() == path.read_text()


def test_with_overrides_leaves_the_original_unchanged():
    s = licsim.Scenario(SCENARIO)
    t = s.with_overrides({"population.lep_share": 0.3, "compact": {"enabled": True}})
    assert s["population.lep_share"] == 0.08 and t["population.lep_share"] == 0.3
    assert t["compact.enabled"] is True and s["compact.enabled"] is False
    assert t.origin("population.lep_share") == ("--set", 0)
    assert "population.lep_share" in t and "no.such.key" not in t
    with pytest.raises(KeyError, match="no.such.key"):
        t["no.such.key"]


def test_notes_of_validate(run_cli):
    combined = licsim.scenario_path("combined")
    notes = licsim.Scenario(combined).notes
    result = run_cli("validate", combined)
    assert result.returncode == 0, result.stderr
    assert [line[len("note: "):] for line in result.stdout.splitlines() if line.startswith("note: ")] == list(notes)


def test_to_dict_round_trips():
    s = licsim.Scenario(SCENARIO)
    assert licsim.Scenario(s.to_dict(), base_dir=SCENARIO.parent).to_toml() == s.to_toml()


# --- bad input raises with the key named, as the CLI says it ------------------------------


def cli_message(run_cli, *args) -> str:
    result = run_cli(*args)
    assert result.returncode == 2, result.stderr
    return result.stderr.strip().removeprefix("licsim: ")


def test_bad_override_gives_the_cli_message(run_cli, tmp_path):
    message = cli_message(run_cli, "run", SCENARIO, "-o", tmp_path / "x.h5", "--set", "population.lep_shar=0.1")
    with pytest.raises(licsim.ScenarioError) as info:
        licsim.Scenario(SCENARIO, {"population.lep_shar": 0.1})
    assert str(info.value) == message
    assert "population.lep_shar" in message and "did you mean 'population.lep_share'" in message


def test_out_of_range_override_gives_the_cli_message(run_cli, tmp_path):
    message = cli_message(run_cli, "run", SCENARIO, "-o", tmp_path / "x.h5", "--set", "population.lep_share=1.5")
    with pytest.raises(licsim.ScenarioError) as info:
        licsim.run(SCENARIO, days=2, overrides={"population.lep_share": 1.5})
    assert str(info.value) == message
    assert not (tmp_path / "x.h5").exists()


def test_bad_key_in_a_file_gives_the_cli_message(run_cli, tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text(f'base = "{BASE}"\n[regulator]\nlicense_fee = 1\n')
    message = cli_message(run_cli, "validate", path)
    with pytest.raises(licsim.ScenarioError) as info:
        licsim.Scenario(path)
    assert str(info.value) == message
    assert "typo.toml:3: key 'regulator.license_fee'" in message


def test_bad_key_in_toml_text_names_line_and_key():
    text = f'base = "{BASE}"\n\n[regulator]\nlicense_fee = 1\n'
    with pytest.raises(licsim.ScenarioError, match=r"^<string>:4: key 'regulator\.license_fee': .*did you mean 'regulator\.license_fee_usd'"):
        licsim.Scenario(text)


def test_bad_value_in_toml_text():
    with pytest.raises(licsim.ScenarioError, match=r"<string>:2: key 'population\.lep_share': expected a number in \[0, 1\], got 2"):
        licsim.Scenario.from_toml(f'base = "{BASE}"\npopulation.lep_share = 2\n')


def test_invalid_toml_text():
    with pytest.raises(licsim.ScenarioError, match="<string>:1: invalid TOML"):
        licsim.Scenario("this is = = not toml")


@pytest.mark.parametrize(
    "values, pattern",
    [
        ({"population": {"lep_shar": 0.1}}, r"<dict>: key 'population\.lep_shar': .*did you mean 'population\.lep_share'"),
        ({"population.lep_share": 3}, r"<dict>: key 'population\.lep_share': expected a number in \[0, 1\], got 3"),
        ({"population.lep_share": "a lot"}, r"<dict>: key 'population\.lep_share'"),
        ({"population": {"lep_share": 0.1}, "population.lep_share": 0.2}, r"<dict>: key 'population\.lep_share': given twice"),
    ],
)
def test_bad_dict_names_the_key(values, pattern):
    with pytest.raises(licsim.ScenarioError, match=pattern):
        licsim.Scenario({"base": BASE, **values})


def test_dict_without_required_keys_names_a_missing_key():
    with pytest.raises(licsim.ScenarioError, match=r"<dict>: key '[a-z_.]+': missing"):
        licsim.Scenario({"population": {"lep_share": 0.1}})


def test_dict_value_of_unsupported_type_names_the_key():
    with pytest.raises(TypeError, match=r"<dict>: key 'population\.lep_share'"):
        licsim.Scenario({"base": BASE, "population.lep_share": None})
    with pytest.raises(TypeError, match=r"--set: key 'population\.lep_share'"):
        licsim.Scenario(SCENARIO, {"population.lep_share": object()})


def test_missing_base_file_and_missing_scenario_file():
    with pytest.raises(licsim.ScenarioError, match="no_such.toml: cannot open the file"):
        licsim.Scenario({"base": "no_such.toml"})
    with pytest.raises(licsim.ScenarioError, match="missing.toml: cannot open the file"):
        licsim.Scenario("missing.toml")


def test_bad_data_file_raises_data_error(tmp_path):
    bad = tmp_path / "jurisdictions.csv"
    bad.write_text("code,name\nXX,Nowhere\n")
    with pytest.raises(licsim.DataError, match="jurisdictions.csv"):
        licsim.Scenario(SCENARIO, {"world.jurisdictions_file": str(bad)})


def test_other_sources_are_refused():
    with pytest.raises(TypeError, match="a scenario is a file path, TOML text, a dict"):
        licsim.Scenario(42)
