"""One treatment: the medium, the genotype, the drugs with their doses, and nodes held directly,
each for the whole run or a time window. Every analysis takes this one value (or the keywords
that build it, :meth:`Treatment.of`)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from mtorsim.errors import MtorsimError
from mtorsim.treatment.records import Hold


def parse_window(text: str, parameter: str) -> tuple[str, float | None, float | None]:
    """``NAME``, ``NAME@START-END`` or ``NAME@START-`` -> (NAME, START, END); None for absent."""
    name, at, window = text.partition("@")
    if not at:
        return name, None, None
    start, dash, end = window.partition("-")
    try:
        return name, float(start), float(end) if dash and end else None
    except ValueError:
        raise MtorsimError(
            f"`{parameter}` {text}: write the window as @START-END or @START-, e.g. {name}@5-10"
        ) from None


@dataclass(frozen=True, slots=True)
class Given:
    """A vocabulary entry (mutation or drug) given for the whole run (``start`` None) or from
    ``start`` to ``end``, at its vocabulary efficacy, at ``efficacy`` (``"TSC2_loss:0.5"``, a
    partial mutation) or with one altered allele (``"PTEN_loss:het"``: the mutation's
    ``heterozygous`` efficacy); ``text`` is what the user wrote."""

    name: str
    start: float | None = None
    end: float | None = None
    text: str = ""
    efficacy: float | None = None
    heterozygous: bool = False

    @classmethod
    def parse(cls, text: str, parameter: str) -> Given:
        named, start, end = parse_window(text, parameter)
        name, colon, level = named.partition(":")
        efficacy = None
        if colon and level.strip().lower() in ("het", "heterozygous"):
            return cls(name, start, end, text, None, True)
        if colon:
            try:
                efficacy = float(level)
            except ValueError:
                efficacy = -1.0
            if not 0 < efficacy <= 1:
                raise MtorsimError(
                    f"`{parameter}` {text}: after ':' give the efficacy, a number in (0, 1], or 'het' for one "
                    f"altered allele, e.g. {name}:0.5"
                )
        return cls(name, start, end, text, efficacy)

    def named(self, name: str) -> str:
        """The entry as given, under ``name`` (its canonical name): ``NAME[:E|:het][@START-END]``."""
        level = ":het" if self.heterozygous else f":{self.efficacy:g}" if self.efficacy is not None else ""
        window = "" if self.start is None else f"@{self.start:g}-" + ("" if self.end is None else f"{self.end:g}")
        return name + level + window

    @property
    def scheduled(self) -> bool:
        return self.start is not None


def _names(value: object, parameter: str) -> tuple[str, ...]:
    """A list of names (a lone string is one name), checked."""
    if value is None:
        raise MtorsimError(f"`{parameter}` must be a list of names, not None (give [] for none)")
    items = (value,) if isinstance(value, str) else value
    if isinstance(items, Mapping) or not isinstance(items, Iterable):
        raise MtorsimError(f'`{parameter}` must be a list of names, e.g. {parameter}=["..."], not {value!r}')
    out = tuple(items)
    for x in out:
        if not isinstance(x, str) or not x.strip():
            raise MtorsimError(f"`{parameter}` must hold names (strings), not {x!r}")
    return out


def _binary_map(value: object, parameter: str) -> dict[str, int]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise MtorsimError(f'`{parameter}` must be a mapping of name -> 0 or 1, e.g. {{"X": 1}}, not {value!r}')
    out = {}
    for k, v in value.items():
        if not isinstance(k, str):
            raise MtorsimError(f"`{parameter}`: names must be strings, not {k!r}")
        if isinstance(v, bool) or v not in (0, 1):
            raise MtorsimError(f"`{parameter}` {k}: the value must be 0 or 1, not {v!r}")
        out[k] = int(v)
    return out


def _doses(value: object) -> dict[str, float]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise MtorsimError(f'`doses` must be a mapping of drug -> dose, e.g. {{"everolimus": 10}}, not {value!r}')
    out = {}
    for k, v in value.items():
        if not isinstance(k, str):
            raise MtorsimError(f"`doses`: drug names must be strings, not {k!r}")
        if isinstance(v, bool) or not isinstance(v, int | float) or not (math.isfinite(v) and v >= 0):
            raise MtorsimError(f"`doses` {k}: a dose must be a finite number >= 0, not {v!r}")
        out[k] = float(v)
    return out


def _holds(value: object) -> tuple[Hold, ...]:
    if value is None:
        return ()
    items = tuple(value) if isinstance(value, Iterable) and not isinstance(value, str | Mapping) else None
    if items is None or not all(isinstance(h, Hold) for h in items):
        raise MtorsimError(
            "`holds` must be a list of mtorsim.treatment.Hold(node, value, start, end), "
            f"not {value!r}; hold a node for the whole run with `fixed`"
        )
    return items


@dataclass(frozen=True)
class Treatment:
    """One treatment: medium, genotype, drugs and doses, and nodes held directly.

    Build it with :meth:`Treatment.of` (which checks every part); mutations and drugs may carry
    a window: ``"everolimus@5-10"``.

    Parameters
    ----------
    env : dict of str to int
        The medium: condition -> 0 or 1 over the vocabulary's defaults.
    mutations : tuple of Given
        The genotype: vocabulary mutations, each for the whole run or a window.
    drugs : tuple of Given
        Vocabulary drugs, each for the whole run or a window.
    doses : dict of str to float
        Drug -> dose in the drug's unit.
    fixed : dict of str to int
        Nodes held for the whole run; they win over every vocabulary hold.
    holds : tuple of Hold
        Node holds in time windows.
    """

    env: dict[str, int] = field(default_factory=dict)
    mutations: tuple[Given, ...] = ()
    drugs: tuple[Given, ...] = ()
    doses: dict[str, float] = field(default_factory=dict)
    fixed: dict[str, int] = field(default_factory=dict)
    holds: tuple[Hold, ...] = ()

    @classmethod
    def of(
        cls,
        env: Mapping[str, int] | None = None,
        mutations: Iterable[str] | str = (),
        drugs: Iterable[str] | str = (),
        doses: Mapping[str, float] | None = None,
        fixed: Mapping[str, int] | None = None,
        holds: Iterable[Hold] = (),
    ) -> Treatment:
        """A treatment from the API's keywords, each checked (errors name the parameter)."""
        return cls(
            env=_binary_map(env, "env"),
            mutations=tuple(Given.parse(m, "mutations") for m in _names(mutations, "mutations")),
            drugs=tuple(Given.parse(d, "drugs") for d in _names(drugs, "drugs")),
            doses=_doses(doses),
            fixed=_binary_map(fixed, "fixed"),
            holds=_holds(holds),
        )

    @property
    def drug_names(self) -> list[str]:
        return [d.name for d in self.drugs]

    @property
    def mutation_names(self) -> list[str]:
        return [m.name for m in self.mutations]

    def without_drugs(self) -> Treatment:
        """The same cell untreated: medium, genotype and held nodes, no drugs."""
        return Treatment(self.env, self.mutations, (), {}, self.fixed, self.holds)

    def with_drugs(self, drugs: Iterable[str], doses: Mapping[str, float] | None = None) -> Treatment:
        """The same cell with other drugs (and doses)."""
        return Treatment(
            self.env,
            self.mutations,
            tuple(Given.parse(d, "drugs") for d in _names(drugs, "drugs")),
            _doses(doses),
            self.fixed,
            self.holds,
        )
