"""One normalisation in front of every text rule: masking, gift-only, prescriptions, guidance.

People who want a phone number, a price or a drug name past a filter write it the way a
human still reads it: full-width or Arabic-Indic digits, 壹叁捌 or 幺洞, keycaps, zero-width
characters between digits, "138   1234\n5678", O for 0, "w x", "薇 信", "威❤信", "alice at qq
dot com", "evil[.]com". `normalise` folds all of these to one plain form, so each rule is
written once against plain text. It keeps, for every character of the result, the span of
the original it came from (`Folded.original`), since masking replaces original characters.

This module is a kernel below the apps: it imports none of them.

Passes, in order (each is a regular expression over the previous pass's text; a pass that
finds nothing costs one search):
1. NFKC, case folding, a few traditional characters, format and zero-width characters and
   keycap marks dropped, every script's decimal digits as ASCII;
2. Chinese numerals as digits (一二三, 两, 壹贰叁, 幺, 洞, and 十/百 inside numbers), English
   number words in runs of three or more;
3. letter-for-digit lookalikes (o → 0, l/i → 1) inside digit runs;
4. decoration between two CJK characters dropped (薇 信, 威❤信, 吗 啡, 5号 楼), spaced Latin
   keywords joined (w x, wei xin, q q), separators of any width and line breaks between
   digit groups as one space;
5. spelled-out e-mail and link forms (at, (at), 艾特, dot, 点, 。, [.], hxxp).
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Folded:
    """The normalised text, and for each of its characters the original span it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that `text[start:end]` came from."""
        if end <= start:
            return (self.starts[start], self.starts[start]) if start < len(self.starts) else (0, 0)
        return self.starts[start], self.ends[end - 1]


_TRADITIONAL = str.maketrans(
    "償價賣買錢塊轉費郵議聯繫電話號樓單鵝魚壹貳參陸兩萬說轉讓藥處診療號碼幫緣給門",
    "偿价卖买钱块转费邮议联系电话号楼单鹅鱼壹贰叁陆两万说转让药处诊疗号码帮缘给门",
)
_DROP = {"\ufe0f", "\ufe0e", "\u20e3", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


def _fold_char(char: str) -> str:
    if char in _DROP:
        return ""
    category = unicodedata.category(char)
    if category == "Cf":  # every other format character: direction marks, joiners
        return ""
    if category == "Nd":
        return str(unicodedata.decimal(char))
    folded = unicodedata.normalize("NFKC", char).casefold()
    return folded.translate(_TRADITIONAL)


_NUMERAL_DIGITS = {
    **dict(zip("〇零洞一幺二两三四五六七八九", "00011223456789", strict=True)),
    **dict(zip("壹贰叁肆伍陆柒捌玖", "123456789", strict=True)),
}
_NUMERAL_MULTIPLIERS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_NUMERAL_CHARS = "".join(_NUMERAL_DIGITS) + "".join(_NUMERAL_MULTIPLIERS)
# After a single numeral, these make it a number: 五元, 八折, 三号楼, 一盒 (not 一起, 一些).
_UNIT_AFTER = "元块米毛角盒瓶片粒支包板袋个号楼栋单层室岁度天月年次折周斤克份人只颗条张套"
_NUMERAL_RUN = re.compile(rf"[{_NUMERAL_CHARS}]+")
_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    )
}
_NUMBER_WORDS["oh"] = "0"
_WORD_RUN = re.compile(
    r"(?<![a-z])(?:(?:zero|one|two|three|four|five|six|seven|eight|nine|oh)[\s\-,]*){3,}"
    r"(?![a-z])"
)
_LOOKALIKE_RUN = re.compile(
    r"(?<![a-z])(?=[0-9oli|]*\d[0-9oli|]*\d[0-9oli|]*\d)[0-9oli|]{5,}(?![a-z])"
)
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
# Decoration people put inside a word: spaces, symbols, emoji, dots and dashes.
_DECORATION = r"[\s\u2000-\u206f\u2190-\u2bff\U0001f000-\U0001faff*·•_\-~^'\"`.|/\\+=#]"
_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}]){_DECORATION}{{1,4}}(?=[{_CJK}])")
_SPACED_LATIN = re.compile(
    r"(?<![a-z])(?:w[\s.\-_*]+x|v[\s.\-_*]+x|q[\s.\-_*]+q|wei[\s.\-_*]+xin|we[\s.\-_*]+chat|"
    r"tele[\s.\-_*]+gram)(?![a-z])"
)
# Between two digit groups: any spaces or line breaks, or two or more separators, become one
# space; a single ".", "-", "/", ":" or "," stays (39.5, 2025-06-30, 12:30, 1,000 mean something).
_DIGIT_GAP = re.compile(r"(?<=\d)[\s\u3000\-–—~_·•|()（）\[\]【】*,，、;；.。/\\+]+(?=\d)")


def _digit_gap(match: re.Match[str]) -> str:
    gap = match.group(0)
    return gap if gap in {".", "-", "/", ","} else " "


_TLD = r"(?:com|cn|net|org|top|xyz|cc|vip|io|info|club|shop|site|me|co)"
_AT = r"(?:\s*[(\[{<]\s*at\s*[)\]}>]\s*|\s+at\s+|\s*艾特\s*|\s*@\s*|\s*＠\s*)"
_DOT = r"(?:\s*[(\[{<]\s*(?:dot|\.|点)\s*[)\]}>]\s*|\s+dot\s+|\s*点\s*|\s*。\s*|\s+\.\s*|\.\s+|\.)"
_EMAIL_SPELLED = re.compile(
    rf"(?<![a-z0-9._%+\-])([a-z0-9._%+\-]{{1,64}}){_AT}([a-z0-9\-]{{1,63}}){_DOT}({_TLD}|[a-z]{{2,6}})(?![a-z])"
)
_DOMAIN_SPELLED = re.compile(
    rf"(?<![a-z0-9.\-@])([a-z0-9\-]{{2,63}})(?:\s*[(\[{{<]\s*(?:dot|\.|点)\s*[)\]}}>]\s*|\s+dot\s+|点|\s*。\s*|\s+\.\s*|\s\.\s*)({_TLD})(?![a-z0-9])"
)
_HXXP = re.compile(r"(?<![a-z])h[x*]{2}p(s?)(?=\s*[:：]\s*/)")


Replacement = Callable[[re.Match[str]], str]


def _replace(folded: Folded, pattern: re.Pattern[str], repl: Replacement) -> Folded:
    """`pattern.sub(repl, folded.text)`, each replacement mapped to the span it replaced."""
    text, starts, ends = folded.text, folded.starts, folded.ends
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    position = 0
    for match in pattern.finditer(text):
        begin, finish = match.span()
        replacement = repl(match)
        if replacement == match.group(0):
            continue
        out.append(text[position:begin])
        new_starts.extend(starts[position:begin])
        new_ends.extend(ends[position:begin])
        if finish > begin:
            span_start, span_end = starts[begin], ends[finish - 1]
        else:  # an insertion: it belongs to the character before
            span_start = span_end = ends[begin - 1] if begin else 0
        out.append(replacement)
        new_starts.extend([span_start] * len(replacement))
        new_ends.extend([span_end] * len(replacement))
        position = finish
    if position == 0 and not out:
        return folded
    out.append(text[position:])
    new_starts.extend(starts[position:])
    new_ends.extend(ends[position:])
    return Folded("".join(out), tuple(new_starts), tuple(new_ends))


def _chars(text: str) -> Folded:
    if text.isascii():
        lowered = text.lower()
        return Folded(lowered, tuple(range(len(text))), tuple(range(1, len(text) + 1)))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        if not folded and ends:
            ends[-1] = index + 1  # a dropped mark (a keycap's) goes with what it decorated
        out.append(folded)
        starts.extend([index] * len(folded))
        ends.extend([index + 1] * len(folded))
    return Folded("".join(out), tuple(starts), tuple(ends))


def chinese_number(run: str) -> str:
    """A run of Chinese numerals as digits: 一三八 → 138, 八十八 → 88, 两百 → 200."""
    if not any(char in _NUMERAL_MULTIPLIERS for char in run):
        return "".join(_NUMERAL_DIGITS[char] for char in run)
    total, digit = 0, None
    for char in run:
        if char in _NUMERAL_MULTIPLIERS:
            total += (1 if digit is None else digit) * _NUMERAL_MULTIPLIERS[char]
            digit = None
        else:
            digit = int(_NUMERAL_DIGITS[char])
    if digit is not None:
        # 一百五 is 150, 三千二 is 3200: a last digit after a multiplier is one place lower.
        last = next((c for c in reversed(run) if c in _NUMERAL_MULTIPLIERS), None)
        place = _NUMERAL_MULTIPLIERS[last] // 10 if last and run[-2] == last else 1
        total += digit * max(place, 1)
    return str(total)


def _stays_a_word(run: str, before: str, after: str) -> bool:
    """一起, 两个人, 十分, 洞口, and 一 after a number (30一盒: a price per box, not 301)."""
    single = len(run) == 1 or (len(run) == 2 and run[0] == run[1] and run[0] in "两一")
    unit_after = bool(after) and after in _UNIT_AFTER
    return (
        (single and not unit_after and not before.isdigit() and not after.isdigit())
        or (run in {"十", "拾"} and not unit_after)
        or (run == "一" and before.isdigit())
        or (set(run) <= {"洞", "幺"} and len(run) < 3)
    )


def _numeral(match: re.Match[str]) -> str:
    run = match.group(0)
    after = match.string[match.end() : match.end() + 1]
    before = match.string[match.start() - 1 : match.start()] if match.start() else ""
    if _stays_a_word(run, before, after):
        return run
    if len(run) > 2 and run[-1] == "一" and after in _UNIT_AFTER and _ends_a_number(run[:-1]):
        return chinese_number(run[:-1]) + "一"  # 二十五一个, 一百一盒: 25 a piece, 100 a box
    try:
        return chinese_number(run)
    except (KeyError, IndexError):
        return run


def _ends_a_number(run: str) -> bool:
    """Whether `run` is complete as a number, so a 一 after it starts "one of" (二十五, 一百)."""
    return run[-1] in "百佰千仟" or (
        len(run) > 2 and run[-2] in _NUMERAL_MULTIPLIERS and run[-3] in _NUMERAL_DIGITS
    )


def _number_words(match: re.Match[str]) -> str:
    words = re.findall(r"[a-z]+", match.group(0))
    trailing = match.group(0)[len(match.group(0).rstrip(" -,")) :]
    return " ".join(_NUMBER_WORDS[word] for word in words) + trailing


def _lookalikes(match: re.Match[str]) -> str:
    return match.group(0).translate(str.maketrans("oli|", "0111"))


def _spaced_latin(match: re.Match[str]) -> str:
    return re.sub(r"[\s.\-_*]+", "", match.group(0))


def _email(match: re.Match[str]) -> str:
    return f"{match.group(1)}@{match.group(2)}.{match.group(3)}"


def _domain(match: re.Match[str]) -> str:
    return f"{match.group(1)}.{match.group(2)}"


_PASSES: tuple[tuple[re.Pattern[str], Replacement], ...] = (
    (_NUMERAL_RUN, _numeral),
    (_WORD_RUN, _number_words),
    (_LOOKALIKE_RUN, _lookalikes),
    (_BETWEEN_CJK, lambda match: ""),
    (_SPACED_LATIN, _spaced_latin),
    (_DIGIT_GAP, _digit_gap),
    (_HXXP, lambda match: f"http{match.group(1)}"),
    (re.compile(r"\[\.\]|\(\.\)|\{\.\}"), lambda match: "."),
    (_EMAIL_SPELLED, _email),
    (_DOMAIN_SPELLED, _domain),
)


@lru_cache(maxsize=4096)
def normalise(text: str) -> Folded:
    """`text` in the one plain form every text rule reads, with the map back to `text`.

    Cached: a post's title and body are checked, masked and shown many times."""
    folded = _chars(text)
    for pattern, repl in _PASSES:
        folded = _replace(folded, pattern, repl)
    return folded


def plain(text: str) -> str:
    """Only the normalised text, for rules that need not map back."""
    return normalise(text).text
