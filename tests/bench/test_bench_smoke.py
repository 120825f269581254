"""Keeps bench/run_bench.py from rotting: its functions at tiny sizes, asserting request counts, never times."""

import pathlib
import sys

import pytest


sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "bench"))
import run_bench


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


def test_bulk_send_part_rows(bench_sim):
    needs("send_message")
    rows = run_bench.part_bulk(bench_sim, runs=1, recipients=1001)
    assert rows[0].value == "2" and rows[0].verdict == "ok"


def test_inbound_backlog_counts_pages_containers_and_mark_reads(bench_sim):
    needs("on_poll")
    result = run_bench.inbound_backlog(bench_sim, 20, runs=1)
    assert (result["pages"], result["containers"], result["artifacts"], result["marked"]) == (2, 20, 20, 20)
    result = run_bench.inbound_backlog(bench_sim, 150, runs=1)
    assert (result["pages"], result["containers"], result["marked"]) == (3, 150, 150)
    assert result["page_numbers"] == [1]  # page by page: the marked messages leave, so page 1 is read again
    assert [run_bench.inbound_page_reads(size) for size in (20, 100, 150)] == [2, 2, 3]


def test_contact_search_counts_pages(bench_sim):
    needs("search_contact_by_phone")
    needs("search_contact_by_email")
    results = run_bench.contact_search(bench_sim, 120, runs=1)
    for identifier in ("search_contact_by_phone", "search_contact_by_email"):
        assert results[identifier]["pages"] == 2
        assert results[identifier]["matches"] == 1


def test_retry_cost_counts_the_retried_get(bench_sim):
    result = run_bench.retry_cost(bench_sim, runs=1)
    assert result["gets"] == 2


def test_missing_action_prints_na(bench_sim, monkeypatch):
    monkeypatch.setattr(run_bench, "available", lambda identifier: False)
    assert run_bench.part_inbound(bench_sim, 1, (10, 20)) == [run_bench.Row("3 inbound backlog", "on_poll", run_bench.NA)]
    assert all(row.value == run_bench.NA for row in run_bench.part_search(bench_sim, 1, 10))


def test_import_profile_and_table():
    profile = run_bench.import_profile("clicksend_consts", runs=1)
    assert profile["total_us"] > 0
    groups = run_bench.import_groups(profile)
    assert groups["app modules"] > 0
    table = run_bench.render([run_bench.Row("p", "m", "1", "== 1", "ok")])
    assert table.count("\n") == 2 and "| p " in table
