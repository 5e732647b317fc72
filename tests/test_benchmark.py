"""The benchmark's two builds work on a small synthetic site, so `invoke bench` cannot rot unseen."""

from __future__ import annotations

import benchmark


def test_both_builds_of_the_benchmark_succeed(tmp_path):
    content = benchmark.generate_site(tmp_path, 20)
    for plugin in (False, True):
        result = benchmark.timed_build(content, tmp_path / f"plugin-{plugin}" / "output", plugin=plugin)
        assert result["cpu"] > 0
        assert (tmp_path / f"plugin-{plugin}" / "output" / "index.html").is_file()
