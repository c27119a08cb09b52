"""Words for search: jieba for Chinese runs, a small tokenizer for everything else.

Both languages go through one function so a draft that mixes them (布洛芬 and "Paxlovid" in
one sentence) is tokenized the same way as the guidance it is matched against. Chinese runs
use jieba's search mode, which also yields the shorter words inside long ones (阿莫西林 gives
阿莫, 西林 too), so a query need not name a medicine exactly as the guidance does.

jieba loads its dictionary from the installed package, once per process, and keeps its
cache in our data directory rather than a shared /tmp file another user could plant.
"""

import logging
import re
import threading
from collections.abc import Iterable
from typing import Any

from django.conf import settings

from huzhu.posts.catalogue import read_catalogue_file
from huzhu.safety.guidance_content import read_guidance_file

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[a-z0-9]+")
# Words that say nothing about which rule a draft touches.
_STOP_EN = frozenset(
    {
        "a",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "do",
        "for",
        "from",
        "has",
        "have",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "me",
        "my",
        "need",
        "no",
        "not",
        "of",
        "on",
        "one",
        "or",
        "our",
        "please",
        "so",
        "some",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "too",
        "us",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "will",
        "with",
        "you",
        "your",
    }
)
_STOP_ZH = frozenset(
    {
        "的",
        "了",
        "和",
        "与",
        "或",
        "及",
        "是",
        "在",
        "有",
        "我",
        "你",
        "他",
        "她",
        "它",
        "们",
        "我们",
        "你们",
        "这",
        "那",
        "也",
        "都",
        "就",
        "还",
        "又",
        "而",
        "把",
        "被",
        "给",
        "让",
        "对",
        "从",
        "向",
        "为",
        "以",
        "于",
        "之",
        "其",
        "等",
        "个",
        "上",
        "下",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "要",
        "会",
        "能",
        "可以",
        "一",
        "一个",
        "不",
        "需要",
        "请",
        "谢谢",
        "想",
        "有没有",
        "没有",
    }
)
_lock = threading.Lock()
_loaded: list[Any] = []  # the one segmenter of this process, once loaded


def tokens(text: str) -> list[str]:
    """The search words of `text`, folded, in order, stop words left out."""
    found: list[str] = []
    position = 0
    folded = text.casefold()
    for run in _CJK_RUN.finditer(folded):
        found.extend(_latin_words(folded[position : run.start()]))
        found.extend(word for word in _chinese_words(run.group()) if word not in _STOP_ZH)
        position = run.end()
    found.extend(_latin_words(folded[position:]))
    return found


def _latin_words(text: str) -> Iterable[str]:
    for word in _LATIN_WORD.findall(text):
        if word not in _STOP_EN:
            yield stem(word)


def stem(word: str) -> str:
    """A light English stem: plurals and -ing/-ed endings, then a final e (sell = selling,
    price = prices, share = shared). It need only map a word's forms together, not be a word.
    """
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def _chinese_words(run: str) -> list[str]:
    words: list[str] = _segmenter().lcut_for_search(run)
    return words


def _segmenter() -> Any:
    with _lock:  # two threads loading at once would both build the dictionary
        if not _loaded:
            _loaded.append(_load_segmenter())
        return _loaded[0]


def _load_segmenter() -> Any:
    """jieba's tokenizer with its dictionary loaded and our domain words added."""
    import jieba  # here: only a process that segments pays for importing it

    jieba.setLogLevel(logging.WARNING)  # it logs every dictionary load on its own handler
    segmenter = jieba.Tokenizer()
    segmenter.tmp_dir = str(settings.DATA_DIR)
    segmenter.initialize()
    for word in _domain_words(read_catalogue_file()):
        segmenter.add_word(word)
    return segmenter


def _domain_words(catalogue: dict[str, Any]) -> set[str]:
    """Chinese names of catalogue items and the guidance's own terms, kept whole by jieba."""
    names = {item["name_zh"] for item in catalogue["items"]}
    names.update(alias for item in catalogue["items"] for alias in item.get("aliases", ()))
    names.update(read_guidance_file()["words"])
    return {word for name in names for word in _CJK_RUN.findall(name) if len(word) > 1}
