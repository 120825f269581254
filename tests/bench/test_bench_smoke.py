"""Keeps bench/run_bench.py from rotting: its functions at tiny sizes, asserting request counts, never times, and
never that requests overlap (on a loaded machine they may not: `make bench` reports overlap, and
tests/unit/test_client_concurrency.py proves it with barriers). Never more than eight at once is a bound load cannot break."""

import pathlib
import subprocess
import sys

import pytest


sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "bench"))
import run_bench


ROOT = run_bench.ROOT


@pytest.fixture(scope="module")
def bench_sim():
    with run_bench.Sim() as sim:
        yield sim


def needs(identifier):
    if not run_bench.available(identifier):
        pytest.skip(f"{identifier} is not in clicksend.json and the dispatch table yet")


def test_bulk_send_counts_send_calls(bench_sim):
    needs("send_message")
    result = run_bench.bulk_send(bench_sim, 10, runs=1)
    assert result["sends"] == 1
    assert result["queued"] == 10
    assert result["peak"] > 0


def test_a_big_send_reports_memory_and_result_size(bench_sim):
    needs("send_message")
    result = run_bench.big_send(bench_sim, 1001)
    assert (result["sends"], result["queued"]) == (2, 1001)
    assert result["rss"] > 10 * 2**20 and result["json_bytes"] > 1001 * 40


def test_bulk_send_part_rows(bench_sim):
    needs("send_message")
    rows = run_bench.part_bulk(bench_sim, runs=1, recipients=1001, versions=[run_bench.AFTER], big=1001)
    assert rows[0].after == "2" and rows[0].verdict == "ok"
    assert [row.verdict for row in rows if "result JSON" in row.measure or "peak RSS" in row.measure] == ["ok", "ok"]


def test_inbound_backlog_counts_pages_containers_and_mark_reads(bench_sim):
    needs("on_poll")
    result = run_bench.inbound_backlog(bench_sim, 20, runs=1)
    assert (result["pages"], result["containers"], result["artifacts"], result["marked"]) == (2, 20, 20, 20)
    result = run_bench.inbound_backlog(bench_sim, 150, runs=1, trace=False, latency=0.005)
    assert (result["pages"], result["containers"], result["marked"]) == (3, 150, 150)
    assert result["page_numbers"] == [1]  # page by page: the marked messages leave, so page 1 is read again
    assert 1 <= result["in_flight"] <= run_bench.MAX_IN_FLIGHT  # never more than 8
    assert [run_bench.inbound_page_reads(size) for size in (20, 100, 150)] == [2, 2, 3]


def test_contact_search_counts_pages(bench_sim):
    needs("search_contact_by_phone")
    needs("search_contact_by_email")
    results = run_bench.contact_search(bench_sim, 350, runs=1, latency=0.005)
    for identifier in ("search_contact_by_phone", "search_contact_by_email"):
        assert results[identifier]["pages"] == 4
        assert results[identifier]["matches"] == 1
        assert 1 <= results[identifier]["in_flight"] <= run_bench.MAX_IN_FLIGHT


@pytest.mark.parametrize("identifier", ["update_contact", "delete_contact"])
def test_a_contact_without_its_list_id_is_found_reading_every_page(bench_sim, identifier):
    needs(identifier)
    result = run_bench.contact_without_list(bench_sim, identifier, 3, 150)
    assert result["pages"] == 1 + 3 * 2


def test_retry_cost_counts_the_retried_get(bench_sim):
    result = run_bench.retry_cost(bench_sim, runs=1)
    assert result["gets"] == 2


def test_missing_action_prints_na(bench_sim, monkeypatch):
    monkeypatch.setattr(run_bench, "available", lambda identifier: False)
    inbound = run_bench.part_inbound(bench_sim, 1, (10, 20), [run_bench.AFTER], 0, 10)
    assert inbound == [run_bench.Row("3 inbound backlog", "on_poll", run_bench.NA)]
    assert all(row.after == run_bench.NA for row in run_bench.part_contacts(bench_sim, 1, 10, [run_bench.AFTER], 0, (1, 1), (1, 2)))


def test_an_earlier_version_is_measured_from_git_with_the_same_code(bench_sim):
    try:
        before = run_bench.version_from_git("HEAD")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    assert before.label == "before" and (before.root / "clicksend_connector.py").is_file() and before.root != ROOT
    results = run_bench.contact_search(bench_sim, 120, runs=1, version=before)
    assert results["search_contact_by_phone"]["pages"] == 2
    for version in (before, run_bench.AFTER):  # a cold-start child imports the app of its own version
        where = run_bench.child("import clicksend_connector; print(clicksend_connector.__file__)", [], path=version.root).stdout.strip()
        assert pathlib.Path(where).parent == version.root


def test_import_profile_and_table():
    profile = run_bench.import_profile("clicksend_consts", runs=1)
    assert profile["total_us"] > 0
    groups = run_bench.import_groups(profile)
    assert groups["app modules"] > 0
    table = run_bench.render([run_bench.Row("p", "m", "1", "== 1", "ok", "2")])
    assert table.count("\n") == 2 and table.splitlines()[0].split("|")[3].strip() == "before"
    assert [cell.strip() for cell in table.splitlines()[2].split("|")[3:5]] == ["2", "1"]


def test_the_cold_action_is_measured_against_a_trivial_connector_with_and_without_the_recipient_check(bench_sim, tmp_path):
    needs("send_message")
    timing = run_bench.cold_action(bench_sim, 1, [run_bench.AFTER], sdk=False)
    assert {"connector after", "trivial", "checked", "requests"} <= set(timing)
    assert all(seconds > 0 for seconds in timing.values())
    # the checked baseline really checks: a number phonenumbers refuses fails its run
    bad = run_bench.CHILD_CHECKED.replace(run_bench.ONE_NUMBER, "+6100")
    with pytest.raises(subprocess.CalledProcessError):
        run_bench.child(bad, [bench_sim.url, bench_sim.username, bench_sim.api_key, str(tmp_path)], path=run_bench.BENCH / "trivial")
