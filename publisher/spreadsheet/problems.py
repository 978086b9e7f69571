"""What is wrong with the words of a cell, said in English and in French: the people filling
the template read the report in their language (`--lang`, Accept-Language)."""

from __future__ import annotations


class CellProblem(ValueError):
    """A cell's words cannot be read; `english` and `french` say why and what to write."""

    def __init__(self, english: str, french: str) -> None:
        super().__init__(english)
        self.english = english
        self.french = french
