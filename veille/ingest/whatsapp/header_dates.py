"""How to read a WhatsApp chat's header dates: the calendar era, and day- or month-first.

Internal helper of ``veille.ingest.whatsapp.reader``: not a stable API.

Era: a phone set to Thai writes Buddhist-era years (2565 = 2022, or ``65`` with two digits).
A chat's years are read Buddhist-era when every one of them, read Gregorian, lies in the future
and every one, read Buddhist-era, lies between WhatsApp's launch (2009) and next year.

Order: header dates that only fit one order decide it, then the order that keeps the chat in
time order (``dates.DateColumn``). When every date fits both and both keep the chat in order
(a chat within the first twelve days of the months), the file is read once more for evidence,
strongest kind first; the first kind that leans one way decides:

1. a date written with a month or weekday name in a message (``3 avril 2022``, ``Sunday
   03/04/2022``) that matches its own header date, or its weekday, under one order only;
2. numeric dates inside message texts that fit only one order (``on 25/03`` is not enough:
   the year is required);
3. the language of the lines WhatsApp itself wrote (system lines, ``<Médias omis>``, the
   encryption notice): every language listed writes dates day-first;
4. dots as date separators (``25.05.23``): no locale writes month-first dates with dots.

Such a chat is short (any chat spanning two weeks has a day above 12), so the extra pass costs
little.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "BUDDHIST_OFFSET",
    "OrderEvidence",
    "buddhist_era",
    "chronology_tie",
    "from_buddhist",
]

BUDDHIST_OFFSET = 543  # Buddhist-era year minus Gregorian year
_WHATSAPP_LAUNCH = 2009


def _gregorian(year_text: str) -> int:
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _buddhist(year_text: str) -> int:
    year = int(year_text)
    if len(year_text) == 2:
        year += 2500  # "65" is 2565: two-digit Buddhist years are of the 2500s
    return year - BUDDHIST_OFFSET


def from_buddhist(year: int) -> int:
    """The Gregorian year of a Buddhist-era year as ``lines.date_parts`` gives it.

    Four-digit years come as written (2565); two-digit ones went through the Gregorian pivot
    (65 became 2065), so only their last two digits count.
    """
    if year >= 2400:
        return year - BUDDHIST_OFFSET
    return 2500 + year % 100 - BUDDHIST_OFFSET


def buddhist_era(years: Iterable[str], this_year: int | None = None) -> bool:
    """Whether a chat whose header years are ``years`` (as written) counts them Buddhist-era."""
    latest = (this_year or date.today().year) + 1
    written = list(years)
    if not written:
        return False
    return all(_gregorian(year) > latest for year in written) and all(
        _WHATSAPP_LAUNCH <= _buddhist(year) <= latest for year in written
    )


def chronology_tie(ambiguous: list[tuple[int, int, int]]) -> bool:
    """Whether day-first and month-first keep the same number of ``(first, second, year)``
    dates in time order: the chronology tells nothing."""

    def in_order(day_first: bool) -> int:
        keys = [
            (year, second, first) if day_first else (year, first, second)
            for first, second, year in ambiguous
        ]
        return sum(1 for a, b in itertools.pairwise(keys) if a <= b)

    return in_order(True) == in_order(False)


# Months and weekdays in the languages WhatsApp exports are most often met in (casefolded,
# accents as written, common abbreviations). 1-based month numbers; weekdays Monday = 0.
_MONTHS: dict[str, int] = {}
for _names in (
    "january february march april may june july august september october november december",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "jan feb mar apr may jun jul aug sep oct nov dec",
):
    for _number, _name in enumerate(_names.split(), 1):
        _MONTHS.setdefault(_name, _number)
_WEEKDAYS: dict[str, int] = {}
for _names in (
    "monday tuesday wednesday thursday friday saturday sunday",
    "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "lunes martes miércoles jueves viernes sábado domingo",
    "montag dienstag mittwoch donnerstag freitag samstag sonntag",
    "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo",
    "lunedì martedì mercoledì giovedì venerdì sabato domenica",
    "понедельник вторник среда четверг пятница суббота воскресенье",
    "mon tue wed thu fri sat sun",
):
    for _number, _name in enumerate(_names.split()):
        _WEEKDAYS.setdefault(_name, _number)

_WORD = r"([^\W\d_][^\W\d_\-]{2,14}(?:-feira)?)"
# "3 avril 2022", "3. April 2022", "3 de abril de 2022", "3 апреля 2022"
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\.?\s+(?:de\s+)?{_WORD}\.?,?\s+(?:de\s+)?(\d{{4}})\b")
# "April 3, 2022"
_MONTH_DAY_YEAR = re.compile(rf"{_WORD}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")
# "Sunday 03/04/2022", "dimanche, 03.04.22"
_WEEKDAY_NUMERIC = re.compile(rf"{_WORD},?\s+(\d{{1,2}})([./-])(\d{{1,2}})\3(\d{{4}}|\d{{2}})\b")
_NUMERIC = re.compile(r"(?<![\d./-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d./-])")

# Wording WhatsApp writes in the phone's language (casefolded). All of these languages write
# numeric dates day-first; English is absent on purpose: en-US and en-GB differ.
_DAY_FIRST_WORDING: dict[str, tuple[str, ...]] = {
    "French": (
        "chiffrés de bout en bout", "<médias omis>", "ce message a été supprimé",
        "a créé le groupe", "a ajouté", "vous avez ajouté", "a quitté", "image absente",
        "fichier joint",
    ),
    "Spanish": (
        "cifrados de extremo a extremo", "<multimedia omitido>", "se eliminó este mensaje",
        "creó el grupo", "añadió a", "salió del grupo", "imagen omitida", "archivo adjunto",
    ),
    "German": (
        "ende-zu-ende-verschlüsselt", "<medien ausgeschlossen>", "nachricht wurde gelöscht",
        "hat die gruppe", "hinzugefügt", "bild weggelassen", "datei angehängt",
    ),
    "Portuguese": (
        "criptografia de ponta a ponta", "encriptadas ponto a ponto", "<mídia oculta>",
        "<arquivo de mídia oculto>", "mensagem foi apagada", "mensagem apagada",
        "criou o grupo", "adicionou", "imagem ocultada", "arquivo anexado",
    ),
    "Italian": (
        "crittografati end-to-end", "<media omessi>", "messaggio è stato eliminato",
        "ha creato il gruppo", "ha aggiunto", "file allegato",
    ),
    "Dutch": (
        "end-to-end versleuteld", "<media weggelaten>", "dit bericht is verwijderd",
        "heeft de groep", "heeft toegevoegd",
    ),
    "Russian": (
        "сквозным шифрованием", "<без медиафайлов>", "сообщение удалено", "создал(а) группу",
        "добавил(а)", "изображение отсутствует", "файл добавлен",
    ),
    "Turkish": (
        "uçtan uca şifrelidir", "<medya dahil edilmedi>", "bu mesaj silindi", "grubunu oluşturdu",
    ),
    "Indonesian": (
        "terenkripsi secara end-to-end", "<media tidak disertakan>", "pesan ini telah dihapus",
    ),
    "Arabic": (
        "مشفرة تمامًا", "تم استبعاد الوسائط", "تم حذف هذه الرسالة", "أنشأ المجموعة", "الملف مرفق",
    ),
    "Thai": ("ได้รับการเข้ารหัส", "ข้อความนี้ถูกลบ", "ไฟล์ที่แนบ"),
}  # fmt: skip


@dataclass
class _Tally:
    day: int = 0
    month: int = 0

    def add(self, day_first: bool) -> None:
        if day_first:
            self.day += 1
        else:
            self.month += 1

    def leaning(self) -> bool | None:
        return None if self.day == self.month else self.day > self.month


@dataclass
class OrderEvidence:
    """What the text of an all-ambiguous chat says about its date order."""

    written: _Tally = field(default_factory=_Tally)
    numeric: _Tally = field(default_factory=_Tally)
    languages: dict[str, int] = field(default_factory=dict)
    dots: int = 0

    def header(self, date_text: str, body: str) -> None:
        """Look at a header line: its date's separator, and the wording of its first line."""
        if "." in date_text:
            self.dots += 1
        start = body[:300].casefold()
        for language, phrases in _DAY_FIRST_WORDING.items():
            if any(phrase in start for phrase in phrases):
                self.languages[language] = self.languages.get(language, 0) + 1
                break

    def text(self, date_text: str | None, line: str) -> None:
        """Look at a line of message text; ``date_text`` is its message's header date."""
        if not any(char.isdigit() for char in line):
            return
        own = _numbers(date_text) if date_text else None
        if own is not None:
            for match in _DAY_MONTH_YEAR.finditer(line):
                self._written(own, int(match[1]), match[2], int(match[3]))
            for match in _MONTH_DAY_YEAR.finditer(line):
                self._written(own, int(match[2]), match[1], int(match[3]))
        for match in _WEEKDAY_NUMERIC.finditer(line):
            weekday = _WEEKDAYS.get(match[1].casefold())
            if weekday is not None:
                self._weekday(weekday, int(match[2]), int(match[4]), match[5])
        for match in _NUMERIC.finditer(line):
            first, second = int(match[1]), int(match[3])
            if first > 12 >= second >= 1:
                self.numeric.add(True)
            elif second > 12 >= first >= 1:
                self.numeric.add(False)

    def _written(self, own: tuple[int, int, int], day: int, month_name: str, year: int) -> None:
        month = _MONTHS.get(month_name.casefold())
        first, second, own_year = own
        if month is None or year != own_year or first == second:
            return
        as_day_first = (first, second) == (day, month)
        as_month_first = (second, first) == (day, month)
        if as_day_first != as_month_first:
            self.written.add(as_day_first)

    def _weekday(self, weekday: int, first: int, second: int, year_text: str) -> None:
        year = _gregorian(year_text)
        try:
            day_first = date(year, second, first).weekday() == weekday
            month_first = date(year, first, second).weekday() == weekday
        except ValueError:
            return
        if day_first != month_first:
            self.written.add(day_first)

    def decide(self) -> tuple[bool, str] | None:
        """(day first?, why) from the strongest kind of evidence that leans one way, or None."""
        leaning = self.written.leaning()
        if leaning is not None:
            count = self.written.day if leaning else self.written.month
            return leaning, (
                f"{count:,} date{_s(count)} written out in messages match their message's date "
                "only in that order"
            )
        leaning = self.numeric.leaning()
        if leaning is not None:
            count = self.numeric.day if leaning else self.numeric.month
            return leaning, f"{count:,} date{_s(count)} in message texts only fit that order"
        if self.languages:
            language = max(self.languages, key=lambda name: (self.languages[name], name))
            count = self.languages[language]
            return True, (
                f"{count:,} line{_s(count)} WhatsApp wrote in {language}, a language whose "
                "phones write dates day-first"
            )
        if self.dots:
            return True, "dates written with dots (25.05.23) are day-first in every locale"
        return None


def _numbers(date_text: str) -> tuple[int, int, int] | None:
    """(first, second, Gregorian year) of a D/M/Y or M/D/Y header date; None for Y/M/D."""
    parts = re.split(r"[./-]", date_text)
    if len(parts) != 3 or len(parts[0]) == 4:
        return None
    return int(parts[0]), int(parts[1]), _gregorian(parts[2])


def _s(count: int) -> str:
    return "" if count == 1 else "s"
