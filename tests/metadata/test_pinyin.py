"""The pinyin door (plm_bib.metadata.pinyin) and the memo the command line keeps between runs."""
import json
import os
import subprocess
import sys

from conftest import ROOT
from pypinyin import lazy_pinyin

from plm_bib.cli.common import pypinyin_version
from plm_bib.metadata import pinyin

# polyphonic characters read in their phrase (了解: liao, not le; 重要: zhong; 银行: hang)
TEXTS = ["一文了解预训练语言模型", "重要", "银行", "单", "欧阳", "关于 NLP 综述的综述"]


def test_syllables_are_pypinyins_reading():
    for t in TEXTS:
        assert pinyin.syllables(t) == lazy_pinyin(t)
    assert pinyin.syllables("一文了解") == ["yi", "wen", "liao", "jie"]  # read by hand


def test_memo_is_used_and_kept(monkeypatch):
    monkeypatch.setattr(pinyin, "_MEMO", {})
    monkeypatch.setattr(pinyin, "_changed", False)
    pinyin.restore_memo({"测": "kept reading", "bad": 3})  # a kept value wins; a non-string is ignored
    assert pinyin.syllables("测") == ["kept", "reading"]
    assert "bad" not in pinyin._MEMO
    assert pinyin.memo_state() is None  # nothing new since the restore
    pinyin.syllables("银行")
    state = pinyin.memo_state()
    assert state == {"测": "kept reading", "银行": "yin hang"}
    monkeypatch.setattr(pinyin, "MEMO_LIMIT", 1)
    assert pinyin.memo_state() is None  # over the limit: not saved


def test_pypinyin_version_without_import():
    import pypinyin

    assert pypinyin_version() == pypinyin.__version__


_RUN = """
import sys
from plm_bib.cli import run
code = run(["check", "--format", "json"])
print("PYPINYIN" if "pypinyin" in sys.modules else "NO-PYPINYIN", file=sys.stderr)
sys.exit(code)
"""


def _check(cache):
    env = {**os.environ, "PLM_BIB_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-c", _RUN], cwd=ROOT, env=env, capture_output=True, text=True)


def test_check_keeps_the_memo_between_runs(tmp_path):
    cache = tmp_path / "cache"
    first = _check(cache)
    assert first.returncode == 0, first.stderr
    assert "PYPINYIN" in first.stderr.split()  # the built-in list has Chinese titles: read by pypinyin
    memo = json.loads((cache / f"pinyin-{pypinyin_version()}.json").read_text(encoding="utf-8"))
    assert memo and all(v == " ".join(lazy_pinyin(k)) for k, v in memo.items())
    second = _check(cache)
    assert second.returncode == 0, second.stderr
    assert "NO-PYPINYIN" in second.stderr.split()  # every reading came from the memo
    assert second.stdout == first.stdout  # the same findings, the same keys
    # a memo that cannot be read is ignored: the run is the same, pypinyin reads again
    (cache / f"pinyin-{pypinyin_version()}.json").write_text("{not json", encoding="utf-8")
    third = _check(cache)
    assert third.returncode == 0 and third.stdout == first.stdout and "PYPINYIN" in third.stderr.split()


def test_an_oversized_memo_is_not_read(tmp_path):
    """A memo file far larger than any memo the CLI writes is not ours: it is not read,
    pypinyin reads again (this memo holds every reading the run needs: were it read, pypinyin
    would not be imported)."""
    from plm_bib.cli.common import _MEMO_BYTES

    cache = tmp_path / "cache"
    assert _check(cache).returncode == 0
    memo_file = cache / f"pinyin-{pypinyin_version()}.json"
    memo = json.loads(memo_file.read_text(encoding="utf-8"))
    assert "NO-PYPINYIN" in _check(cache).stderr.split()  # the memo as written is read
    memo["padding"] = "x" * _MEMO_BYTES
    memo_file.write_text(json.dumps(memo), encoding="utf-8")
    assert "PYPINYIN" in _check(cache).stderr.split()
