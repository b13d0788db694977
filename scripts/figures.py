"""The figures a measuring script prints, kept in one place in the docs.

Each script that measures (`footprint`, `footprint-web`, `footprint-esp32c3`,
`cycles`) owns one block of a Markdown file, between the lines

    <!-- figures: scripts/NAME ARGS (written by the script; do not edit) -->
    <!-- end of figures: scripts/NAME ARGS -->

and nothing else in the docs copies its figures. A run compares the block with what
it measured and fails when they differ, printing the difference: CI runs every
script, so a figure in the docs is never stale. `--write-docs` writes the block
instead, for the change that moves a figure.

The sizes of a build would depend on where the checkout is: rustc writes a path
dependency's absolute path into panic locations, and Cargo hashes it into every
symbol, which orders the functions (and so the padding between them) and names the
merged constants. So the measuring scripts build through `FIXED_ROOT`, a symbolic
link to the checkout (`fixed_manifest`), and their figures are the same wherever the
checkout is. A few bytes of slack remain allowed in a block of sizes, for whole numbers
of four digits or more (`SLACK_BYTES`, or `SLACK_SHARE` of the figure if more);
smaller ones (stacks, `.data` and `.bss`) and everything else, counts of
instructions included, must match exactly.
"""

import difflib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def markers(key):
    return (f"<!-- figures: {key} (written by the script; do not edit) -->",
            f"<!-- end of figures: {key} -->")


SLACK_BYTES = 16
SLACK_SHARE = 0.0005
SLACK_FROM = 1000
NUMBER = re.compile(r"(\d+(?:\.\d+)?)")


def same(have, want, sizes):
    """Whether two blocks say the same: with `sizes`, their whole numbers from
    `SLACK_FROM` on may differ by the slack of the module docs."""
    if have == want or not sizes:
        return have == want
    have, want = NUMBER.split(have), NUMBER.split(want)
    if len(have) != len(want):
        return False
    for i, (h, w) in enumerate(zip(have, want)):
        if i % 2 == 0 or "." in h + w or min(int(h), int(w)) < SLACK_FROM:
            if h != w:
                return False
        elif abs(int(h) - int(w)) > max(SLACK_BYTES, SLACK_SHARE * int(w)):
            return False
    return True


def keep(doc, key, text, write, sizes=False):
    """Checks that the block `key` of `doc` (a path from the repository's root)
    holds `text` (with `sizes`, within the slack of the module docs), or with `write`
    makes it so exactly. Returns a failure, or None."""
    path = os.path.join(ROOT, doc)
    begin, end = markers(key)
    with open(path, encoding="utf-8") as f:
        content = f.read()
    start, stop = content.find(begin), content.find(end)
    if start < 0 or stop < start:
        return f"{doc}: no block for {key} (its lines: {begin} ... {end})"
    inner_start = start + len(begin) + 1
    have = content[inner_start:stop]
    want = text.rstrip("\n") + "\n"
    if same(have, want, sizes) and not (write and have != want):
        print(f"figures: {doc} holds the figures of {key}")
        return None
    if write:
        with open(path, "w", encoding="utf-8") as f:
            f.write(content[:inner_start] + want + content[stop:])
        print(f"figures: wrote the figures of {key} into {doc}")
        return None
    diff = difflib.unified_diff(have.splitlines(), want.splitlines(), f"{doc} (docs)",
                                f"{key} (measured)", lineterm="", n=0)
    sys.stdout.write("\n".join(diff) + "\n")
    return (f"{doc}: the figures of {key} are not the measured ones: "
            f"run `{key} --write-docs` and commit the change")


def table(header, rows):
    """A Markdown table: `header` names the columns (a name ending in `>` is
    right-aligned, the `>` dropped); `rows` are tuples of cells."""
    names = [h.rstrip(">") for h in header]
    rule = ["---:" if h.endswith(">") else "---" for h in header]
    lines = ["| " + " | ".join(names) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# Where every measured build sees the repository: a symbolic link to the checkout,
# made anew by each run (two checkouts measured on one machine at once would race).
FIXED_ROOT = "/tmp/embedded-cookie-figures"


def fixed_manifest(package):
    """Cargo arguments that build `package` (a directory of the checkout) through
    `FIXED_ROOT`. Cargo keeps the manifest's path as given, so the package and its path
    dependencies are seen under `FIXED_ROOT`; the configuration (`.cargo/config.toml`)
    is still found from the working directory, the package's own."""
    if os.path.islink(FIXED_ROOT) or not os.path.exists(FIXED_ROOT):
        tmp = f"{FIXED_ROOT}.{os.getpid()}"
        os.symlink(ROOT, tmp)
        os.replace(tmp, FIXED_ROOT)
    else:
        sys.exit(f"figures: {FIXED_ROOT} exists and is not a symbolic link")
    return ["--manifest-path", os.path.join(FIXED_ROOT, os.path.relpath(package, ROOT), "Cargo.toml")]

