"""The content safeguards measured on the project's labelled corpus (tests/data/
safeguards_corpus.tsv, 600+ realistic posts in zh and en written for issue 15), through the
real post service, and `huzhu safeguards-eval` itself."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from huzhu.accounts.models import User
from huzhu.posts.models import Post
from huzhu.safety.evaluation import EXPECTS, evaluate, read_corpus

pytestmark = pytest.mark.django_db
CORPUS = Path(__file__).parent / "data" / "safeguards_corpus.tsv"
THRESHOLD = 0.97


def test_the_corpus_is_big_enough_in_both_languages() -> None:
    rows = read_corpus(CORPUS)
    assert len(rows) >= 600
    chinese = [r for r in rows if any("\u4e00" <= ch <= "\u9fff" for ch in r.title + r.body)]
    assert 200 <= len(chinese) <= len(rows) - 200
    assert all(r.secret for r in rows if r.expect == "mask")
    assert {r.expect for r in rows} == set(EXPECTS)


def test_the_safeguards_meet_their_thresholds_on_the_corpus() -> None:
    report = evaluate(read_corpus(CORPUS))
    for expect in EXPECTS:
        passed, total = report.rate(expect)
        assert passed / total >= THRESHOLD, "\n".join(report.lines())
    assert not Post.objects.exists()  # every row was rolled back
    assert not User.objects.filter(username__startswith="safeguards-eval").exists()


def test_the_command_prints_rates_and_every_miss(tmp_path: Path) -> None:
    corpus = tmp_path / "mini.tsv"
    corpus.write_text(
        "expect\tkind\tcategory\ttitle\tbody\tsecret\n"
        "hold\toffer\tmedicine\t布洛芬\t20元一盒\t\n"
        "hold\toffer\tmedicine\tIbuprofen\tfree to a neighbour\t\n"
        "mask\tneed\tmedicine\t求布洛芬\t电话 138\\n1234\\n5678\t1234\n"
        "publish\tneed\tmedicine\t求布洛芬\t孩子发烧39度\t\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("safeguards-eval", str(corpus), stdout=out)
    printed = out.getvalue()
    assert "hold        1/2     50.0%" in printed
    assert "mask        1/1    100.0%" in printed
    assert "MISS line 3: expected hold, got published" in printed
    with pytest.raises(CommandError, match="hold: 1/2"):
        call_command("safeguards-eval", str(corpus), "--min", "0.97", stdout=StringIO())


def test_the_command_refuses_a_malformed_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "bad.tsv"
    corpus.write_text("maybe\toffer\tmedicine\tx\ty\t\n", encoding="utf-8")
    with pytest.raises(CommandError, match="expect must be one of"):
        call_command("safeguards-eval", str(corpus), stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("safeguards-eval", str(tmp_path / "missing.tsv"), stdout=StringIO())
