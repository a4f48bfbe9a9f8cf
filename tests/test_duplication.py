"""No block of six or more lines is written twice in mentorship/ (migrations aside), and the
tests repeat themselves at most half as much as before this check existed: pylint's
similarity checker, ignoring imports, docstrings and comments."""

from __future__ import annotations

from pathlib import Path

from pylint.lint import Run
from pylint.reporters import CollectingReporter

ROOT = Path(__file__).resolve().parent.parent
MIN_LINES = 6
# Copied blocks in tests/ by this checker when it was introduced (issue 14): 2 blocks of 6+
# lines; the tests may keep at most half of that.
TESTS_ALLOWED = 1


def copied_blocks(folder: Path) -> list[str]:
    """Each block of MIN_LINES or more lines that stands in two places or more (pylint's
    duplicate-code message, which names the places and shows the lines)."""
    reporter = CollectingReporter()
    Run(
        [
            "--disable=all",
            "--enable=duplicate-code",
            f"--min-similarity-lines={MIN_LINES}",
            "--ignore-imports=y",
            "--ignore-docstrings=y",
            "--ignore-comments=y",
            "--ignore=piccolo_migrations",
            "--persistent=n",
            "--jobs=1",
            str(folder),
        ],
        reporter=reporter,
        exit=False,
    )
    return [message.msg for message in reporter.messages]


def test_no_block_of_code_is_written_twice() -> None:
    assert copied_blocks(ROOT / "mentorship") == []


def test_the_tests_repeat_themselves_at_most_half_as_much_as_before() -> None:
    blocks = copied_blocks(ROOT / "tests")
    assert len(blocks) <= TESTS_ALLOWED, blocks
