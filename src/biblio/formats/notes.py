"""What a writer could not carry, collected per kind with the articles concerned.

The citation formats report each kind once per file (``ris.not-carried`` ...), naming the
articles that had it, so a large issue gives a few lines, not one per article.
"""

from __future__ import annotations


class NotCarried:
    """What a writer leaves out, by kind, with the articles that have it.

    An ordered set per kind cost a dict operation per kind per article, twenty for a rich article; here an article costs
    one, as articles that leave out the same kinds share a list. ``items`` gives what the ordered sets gave: the kinds
    in the order first met (an unordered collection of kinds, for writers that sort them, in no particular order), each
    with its articles in increasing order (the order writers record them in).
    """

    def __init__(self) -> None:
        self.groups: dict[tuple[str, ...] | frozenset[str], list[int]] = {}

    def add(self, index: int, kinds: list[str] | tuple[str, ...] | set[str]) -> None:
        """Article ``index`` leaves out ``kinds``: a list may repeat a kind, a tuple may not."""
        if not kinds:
            return
        if type(kinds) is tuple:
            key: tuple[str, ...] | frozenset[str] = kinds
        elif isinstance(kinds, (set, frozenset)):
            key = frozenset(kinds)
        else:
            key = tuple(dict.fromkeys(kinds))
        group = self.groups.get(key)
        if group is None:
            self.groups[key] = [index]
        else:
            group.append(index)

    def items(self) -> list[tuple[str, list[int]]]:
        """Each kind with the articles that leave it out (see the class's docstring for the order)."""
        if len(self.groups) == 1:  # every article leaves out the same kinds: one sorting for all of them
            [(kinds, group)] = self.groups.items()
            ordered = sorted(set(group))
            return [(kind, list(ordered)) for kind in dict.fromkeys(kinds)]
        first: dict[str, tuple[int, int]] = {}
        indexes: dict[str, set[int]] = {}
        for kinds, group in self.groups.items():
            for position, kind in enumerate(kinds):
                met = (group[0], position)
                if kind not in first or met < first[kind]:
                    first[kind] = met
                indexes.setdefault(kind, set()).update(group)
        return [(kind, sorted(indexes[kind])) for kind in sorted(first, key=first.__getitem__)]
