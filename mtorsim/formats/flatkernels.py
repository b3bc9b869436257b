"""numba kernels for big rule files: bytes -> postfix rule arrays, and regulators and signs from
those arrays (arrays in, arrays out). The Python readers in ``parser`` are the reference: any line
these kernels do not accept is handed back to them (see ``flat``).

Postfix code: a value >= 0 reads a variable, the negative values are the operators below. ``and``
and ``or`` are binary here; the syntax tree flattens chains of them as the parser does.
"""

from __future__ import annotations

import numpy as np

from mtorsim.kernels._jit import jit, jit_inline

FALSE, TRUE, NOT, AND, OR = -1, -2, -3, -4, -5

OK, DEFER_LINE, DEFER_FILE = 0, 1, 2
"""Scan status: done; a line the reference parser must read (an error, or text outside the
plain-ASCII subset); a file the reference parser must read whole (line breaks other than
\\n, \\r\\n, \\r, which ``str.splitlines`` also honours)."""

_LPAREN = 6


@jit_inline
def _grow(a, need):
    """``a``, or a copy at least twice as long when it cannot hold ``need`` items."""
    if need <= a.size:
        return a
    b = np.empty(max(need, 2 * a.size), a.dtype)
    b[: a.size] = a
    return b


@jit_inline
def _is_word(c):
    return (48 <= c <= 57) or (65 <= c <= 90) or (97 <= c <= 122) or c == 95


@jit_inline
def _lower(c):
    return c + 32 if 65 <= c <= 90 else c


@jit_inline
def _word_is(data, s, e, w0, w1, w2, w3, w4, n):
    """The word data[s:e], case-insensitively, equals the n letters w0..w4."""
    if e - s != n:
        return False
    ws = (w0, w1, w2, w3, w4)
    for k in range(n):
        if _lower(data[s + k]) != ws[k]:
            return False
    return True


@jit
def _classify(data, s, e):
    """0 a name, 1 and, 2 or, 3 not, 4 false, 5 true, 6 a number that is neither 0 nor 1."""
    if _word_is(data, s, e, 97, 110, 100, 0, 0, 3):
        return 1
    if _word_is(data, s, e, 111, 114, 0, 0, 0, 2):
        return 2
    if _word_is(data, s, e, 110, 111, 116, 0, 0, 3):
        return 3
    if _word_is(data, s, e, 48, 0, 0, 0, 0, 1) or _word_is(data, s, e, 102, 97, 108, 115, 101, 5):
        return 4
    if _word_is(data, s, e, 49, 0, 0, 0, 0, 1) or _word_is(data, s, e, 116, 114, 117, 101, 0, 4):
        return 5
    for k in range(s, e):
        if not (48 <= data[k] <= 57):
            return 0
    return 6


@jit
def _exotic_breaks(data):
    """Whether ``data`` has a line break that only ``str.splitlines`` knows (VT, FF, FS, GS,
    RS, NEL, LS, PS)."""
    n = data.size
    for i in range(n):
        c = data[i]
        if c == 11 or c == 12 or c == 28 or c == 29 or c == 30:
            return True
        if c == 0xC2 and i + 1 < n and data[i + 1] == 0x85:
            return True
        if c == 0xE2 and i + 2 < n and data[i + 1] == 0x80 and (data[i + 2] == 0xA8 or data[i + 2] == 0xA9):
            return True
    return False


# complexity: a numba kernel, one loop nest (an interpreter or a scan), left whole rather than split into jitted calls
@jit
def scan_rules(data, sep, bnet, max_depth):  # noqa: C901
    """Rules of a .rules (``sep`` '=') or .bnet (``sep`` ',', ``bnet`` true) file given as bytes.

    Returns ``(status, line, code, start, target, lines, star, name_start, name_len)``: ``code``
    the postfix of every rule back to back (variables as name ids), rule ``r`` in
    ``code[start[r]:start[r+1]]``, its target's name id, its line number and whether its head had
    a '*'; name ``i`` is ``data[name_start[i]:name_start[i]+name_len[i]]`` (ids in order of first
    appearance). ``status`` is OK, or DEFER_LINE with the line's number, or DEFER_FILE.
    """
    n = data.size
    code = np.empty(max(64, n // 16), np.int32)
    nc = 0
    start = np.empty(1024, np.int64)
    target = np.empty(1024, np.int32)
    lines = np.empty(1024, np.int32)
    star = np.empty(1024, np.uint8)
    nr = 0
    cap = 4096
    table = np.full(cap, -1, np.int32)
    nstart = np.empty(1024, np.int64)
    nlen = np.empty(1024, np.int32)
    nhash = np.empty(1024, np.uint64)
    nn = 0
    ops = np.empty(64, np.int32)
    kind = np.empty(64, np.int32)
    dep = np.empty(64, np.int32)
    status = OK
    bad = 0
    if _exotic_breaks(data):
        status = DEFER_FILE
        n = 0
    pos = 0
    line = 0
    while pos < n:
        line += 1
        ls = pos
        le = ls
        while le < n and data[le] != 10 and data[le] != 13:
            le += 1
        if le < n and data[le] == 13 and le + 1 < n and data[le + 1] == 10:
            pos = le + 2
        elif le < n:
            pos = le + 1
        else:
            pos = n
        be = ls
        while be < le and data[be] != 35:  # '#'
            be += 1
        blank = True
        plain = True
        cut = -1
        for k in range(ls, be):
            c = data[k]
            if not (c == 9 or 32 <= c <= 126):
                plain = False
            if c != 32 and c != 9:
                blank = False
            if cut < 0 and c == sep:
                cut = k
        if blank and plain:
            continue
        if not plain or cut < 0:
            status, bad = DEFER_LINE, line
            break
        hs = ls
        while hs < cut and (data[hs] == 32 or data[hs] == 9):
            hs += 1
        he = cut
        while he > hs and (data[he - 1] == 32 or data[he - 1] == 9):
            he -= 1
        if bnet and he - hs == 7:
            head = True
            word = (116, 97, 114, 103, 101, 116, 115)  # targets
            for k in range(7):
                if _lower(data[hs + k]) != word[k]:
                    head = False
            if head:
                rs = cut + 1
                while rs < be and (data[rs] == 32 or data[rs] == 9):
                    rs += 1
                re_ = be
                while re_ > rs and (data[re_ - 1] == 32 or data[re_ - 1] == 9):
                    re_ -= 1
                factors = (102, 97, 99, 116, 111, 114, 115)
                if re_ - rs == 7:
                    for k in range(7):
                        if _lower(data[rs + k]) != factors[k]:
                            head = False
                else:
                    head = False
                if head:
                    continue
        starred = 0
        if not bnet and he > hs and data[he - 1] == 42:  # '*'
            starred = 1
            he -= 1
            while he > hs and (data[he - 1] == 32 or data[he - 1] == 9):
                he -= 1
        if he == hs or _classify(data, hs, he) != 0:
            status, bad = DEFER_LINE, line
            break
        ok_name = True
        for k in range(hs, he):
            if not _is_word(data[k]):
                ok_name = False
        if not ok_name:
            status, bad = DEFER_LINE, line
            break
        tid, table, nstart, nlen, nhash, nn = _intern(data, hs, he, table, nstart, nlen, nhash, nn)
        # the expression, shunting-yard as the reference parser does it
        rule_start = nc
        nops = 0
        nopd = 0
        expect = True
        i = cut + 1
        failed = False
        while True:
            while i < be and (data[i] == 32 or data[i] == 9):
                i += 1
            tok = -1  # 0 name, 1 and, 2 or, 3 not, 4 false, 5 true, 7 (, 8 ), 9 end, -1 bad
            ws = i
            if i >= be:
                tok = 9
            else:
                c = data[i]
                if _is_word(c):
                    j = i
                    while j < be and _is_word(data[j]):
                        j += 1
                    tok = _classify(data, i, j)
                    if tok == 6:
                        tok = -1
                    i = j
                elif c == 38 or c == 124:  # & |
                    tok = 1 if c == 38 else 2
                    i += 2 if i + 1 < be and data[i + 1] == c else 1
                elif c == 33 or c == 126:  # ! ~
                    tok = 3
                    i += 1
                elif c == 40:
                    tok = 7
                    i += 1
                elif c == 41:
                    tok = 8
                    i += 1
            if tok < 0:
                failed = True
                break
            if expect:
                if tok == 0 or tok == 4 or tok == 5:
                    code = _grow(code, nc + 1)
                    if tok == 0:
                        vid, table, nstart, nlen, nhash, nn = _intern(data, ws, i, table, nstart, nlen, nhash, nn)
                        code[nc] = vid
                    else:
                        code[nc] = FALSE if tok == 4 else TRUE
                    nc += 1
                    kind = _grow(kind, nopd + 1)
                    dep = _grow(dep, nopd + 1)
                    kind[nopd] = 0
                    dep[nopd] = 1
                    nopd += 1
                    nops, nc, code = _apply_nots(ops, nops, kind, dep, nopd, code, nc)
                    expect = False
                elif tok == 3 or tok == 7:
                    ops = _grow(ops, nops + 1)
                    ops[nops] = NOT if tok == 3 else _LPAREN
                    nops += 1
                else:
                    failed = True
                    break
            elif tok == 1 or tok == 2:
                nops, nopd, nc, code = _reduce(ops, nops, kind, dep, nopd, code, nc, 2 if tok == 1 else 1)
                ops = _grow(ops, nops + 1)
                ops[nops] = AND if tok == 1 else OR
                nops += 1
                expect = True
            elif tok == 8:
                nops, nopd, nc, code = _reduce(ops, nops, kind, dep, nopd, code, nc, 1)
                if nops == 0:
                    failed = True
                    break
                nops -= 1
                nops, nc, code = _apply_nots(ops, nops, kind, dep, nopd, code, nc)
            elif tok == 9:
                nops, nopd, nc, code = _reduce(ops, nops, kind, dep, nopd, code, nc, 1)
                if nops != 0 or dep[0] > max_depth:
                    failed = True
                break
            else:
                failed = True
                break
        if failed:
            status, bad = DEFER_LINE, line
            break
        start = _grow(start, nr + 2)
        target = _grow(target, nr + 1)
        lines = _grow(lines, nr + 1)
        star = _grow(star, nr + 1)
        start[nr] = rule_start
        target[nr] = tid
        lines[nr] = line
        star[nr] = starred
        nr += 1
    start = _grow(start, nr + 1)
    start[nr] = nc
    return (
        status,
        bad,
        code[:nc].copy(),
        start[: nr + 1].copy(),
        target[:nr].copy(),
        lines[:nr].copy(),
        star[:nr].copy(),
        nstart[:nn].copy(),
        nlen[:nn].copy(),
    )


@jit_inline
def _apply_nots(ops, nops, kind, dep, nopd, code, nc):
    while nops > 0 and ops[nops - 1] == NOT:
        nops -= 1
        code = _grow(code, nc + 1)
        code[nc] = NOT
        nc += 1
        kind[nopd - 1] = 0
        dep[nopd - 1] += 1
    return nops, nc, code


@jit_inline
def _reduce(ops, nops, kind, dep, nopd, code, nc, floor):
    """Apply the and/or operators on top of the stack whose precedence (and 2, or 1) >= floor."""
    while nops > 0 and (ops[nops - 1] == AND or ops[nops - 1] == OR):
        op = ops[nops - 1]
        if (2 if op == AND else 1) < floor:
            break
        nops -= 1
        code = _grow(code, nc + 1)
        code[nc] = op
        nc += 1
        k = 1 if op == AND else 2
        dl = dep[nopd - 2] - 1 if kind[nopd - 2] == k else dep[nopd - 2]
        dr = dep[nopd - 1] - 1 if kind[nopd - 1] == k else dep[nopd - 1]
        nopd -= 1
        kind[nopd - 1] = k
        dep[nopd - 1] = 1 + max(dl, dr)
    return nops, nopd, nc, code


@jit_inline
def _intern(data, s, e, table, nstart, nlen, nhash, nn):
    """The id of the name data[s:e], added if new (open addressing on an FNV-1a hash)."""
    h = np.uint64(14695981039346656037)
    for k in range(s, e):
        h = (h ^ np.uint64(data[k])) * np.uint64(1099511628211)
    mask = table.size - 1
    slot = np.int64(h & np.uint64(mask))
    length = e - s
    while table[slot] >= 0:
        j = table[slot]
        if nhash[j] == h and nlen[j] == length:
            same = True
            base = nstart[j]
            for k in range(length):
                if data[base + k] != data[s + k]:
                    same = False
                    break
            if same:
                return j, table, nstart, nlen, nhash, nn
        slot = (slot + 1) & mask
    nstart = _grow(nstart, nn + 1)
    nlen = _grow(nlen, nn + 1)
    nhash = _grow(nhash, nn + 1)
    nstart[nn] = s
    nlen[nn] = length
    nhash[nn] = h
    table[slot] = nn
    nn += 1
    if 2 * nn > table.size:  # keep the table at most half full
        table = np.full(2 * table.size, -1, np.int32)
        mask = table.size - 1
        for j in range(nn):
            slot = np.int64(nhash[j] & np.uint64(mask))
            while table[slot] >= 0:
                slot = (slot + 1) & mask
            table[slot] = j
    return nn - 1, table, nstart, nlen, nhash, nn


@jit
def regulators(code, start, n_nodes):
    """For each rule, the distinct variables in order of first appearance: ``(regs, reg_start)``
    with rule ``r``'s in ``regs[reg_start[r]:reg_start[r+1]]``."""
    nr = start.size - 1
    seen = np.full(n_nodes, -1, np.int64)
    regs = np.empty(code.size, np.int32)
    reg_start = np.empty(nr + 1, np.int64)
    m = 0
    for r in range(nr):
        reg_start[r] = m
        for p in range(start[r], start[r + 1]):
            v = code[p]
            if v >= 0 and seen[v] != r:
                seen[v] = r
                regs[m] = v
                m += 1
    reg_start[nr] = m
    return regs[:m].copy(), reg_start


_COLUMN = np.array(
    [
        0xAAAAAAAAAAAAAAAA,
        0xCCCCCCCCCCCCCCCC,
        0xF0F0F0F0F0F0F0F0,
        0xFF00FF00FF00FF00,
        0xFFFF0000FFFF0000,
        0xFFFFFFFF00000000,
    ],
    dtype=np.uint64,
)


@jit
def signs(code, start, regs, reg_start, n_nodes, table_max, column):
    """Sign codes (0 none, 1 '+', 2 '-', 3 '±') aligned with ``regs``: from the truth table up to
    ``table_max`` regulators (``logic.signs``), above it from syntax (``logic.sign_symbol``)."""
    nr = start.size - 1
    out = np.zeros(regs.size, np.int8)
    pos = np.full(n_nodes, -1, np.int64)
    for r in range(nr):
        a, b = start[r], start[r + 1]
        ra, rb = reg_start[r], reg_start[r + 1]
        k = rb - ra
        for j in range(k):
            pos[regs[ra + j]] = j
        if k <= table_max:
            _table_signs(code, a, b, k, pos, column, out, ra)
        else:
            _syntax_signs(code, a, b, pos, out, ra)
        for j in range(k):
            pos[regs[ra + j]] = -1
    return out


# complexity: a numba kernel, one loop nest (an interpreter or a scan), left whole rather than split into jitted calls
@jit
def _table_signs(code, a, b, k, pos, column, out, ra):  # noqa: C901
    words = max(1, (1 << k) >> 6)
    valid = np.uint64(0xFFFFFFFFFFFFFFFF) if k >= 6 else np.uint64((1 << (1 << k)) - 1)
    height = 0
    top = 0
    for p in range(a, b):  # the stack's greatest height
        c = code[p]
        if c >= 0 or c == FALSE or c == TRUE:
            height += 1
        elif c == AND or c == OR:
            height -= 1
        top = max(top, height)
    stack = np.empty((top, words), np.uint64)
    h = 0
    for p in range(a, b):
        c = code[p]
        if c >= 0:
            j = pos[c]
            for w in range(words):
                if j < 6:
                    stack[h, w] = column[j] & valid
                else:
                    stack[h, w] = valid if (w >> (j - 6)) & 1 else np.uint64(0)
            h += 1
        elif c == FALSE or c == TRUE:
            for w in range(words):
                stack[h, w] = valid if c == TRUE else np.uint64(0)
            h += 1
        elif c == NOT:
            for w in range(words):
                stack[h - 1, w] = ~stack[h - 1, w] & valid
        else:
            for w in range(words):
                if c == AND:
                    stack[h - 2, w] &= stack[h - 1, w]
                else:
                    stack[h - 2, w] |= stack[h - 1, w]
            h -= 1
    for j in range(k):
        up = False
        down = False
        if j < 6:
            m = column[j] & valid
            low = ~m & valid
            for w in range(words):
                t = stack[0, w]
                f0 = t & low
                f1 = (t & m) >> np.uint64(1 << j)
                if f1 & ~f0 & low:
                    up = True
                if f0 & ~f1 & low:
                    down = True
        else:
            bit = 1 << (j - 6)
            for w in range(words):
                if w & bit == 0:
                    f0 = stack[0, w]
                    f1 = stack[0, w | bit]
                    if f1 & ~f0:
                        up = True
                    if f0 & ~f1:
                        down = True
        out[ra + j] = 3 if up and down else 1 if up else 2 if down else 0


@jit
def _syntax_signs(code, a, b, pos, out, ra):
    """Each variable's signs from the parity of the negations above each occurrence."""
    m = b - a
    parent = np.full(m, -1, np.int64)
    stack = np.empty(m, np.int64)
    h = 0
    for p in range(m):
        c = code[a + p]
        if c >= 0 or c == FALSE or c == TRUE:
            stack[h] = p
            h += 1
        elif c == NOT:
            parent[stack[h - 1]] = p
            stack[h - 1] = p
        else:
            parent[stack[h - 1]] = p
            parent[stack[h - 2]] = p
            stack[h - 2] = p
            h -= 1
    parity = np.zeros(m, np.int8)
    for p in range(m - 2, -1, -1):
        q = parent[p]
        parity[p] = parity[q] ^ (1 if code[a + q] == NOT else 0)
    for p in range(m):
        c = code[a + p]
        if c >= 0:
            out[ra + pos[c]] |= 2 if parity[p] else 1


@jit
def renumber(code, node_of, n_targets):
    """Give the names read but never defined (``node_of`` -1) node numbers from ``n_targets``
    on, in order of first appearance, and rewrite ``code`` (in place) from name ids to node
    numbers. Returns the ids of those names, in that order."""
    extras = np.empty(node_of.size, np.int64)
    m = 0
    for p in range(code.size):
        v = code[p]
        if v >= 0:
            if node_of[v] < 0:
                node_of[v] = n_targets + m
                extras[m] = v
                m += 1
            code[p] = node_of[v]
    return extras[:m].copy()
