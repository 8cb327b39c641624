"""Julia cannot run on our machines, so this checks the Julia package mechanically: every
`ccall` in AuroraX.jl names a function of include/aurorax.h with the same number of
arguments and matching types, and every header function is wrapped.

The .jl file is read with a regular expression over `ccall((:name, libaurorax), Ret,
(Args...,), ...)` (tree-sitter-julia would need a PyPI download for one pattern).
Prints "N passed, N failed"; exits non-zero on any failure."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
JULIA = ROOT / "bindings/julia/AuroraX/src/AuroraX.jl"
HEADER = ROOT / "include/aurorax.h"

# C type in the header -> the Julia types that pass or receive it correctly
C_TO_JULIA = {
    "int": {"Cint"},
    "double": {"Cdouble"},
    "int64_t": {"Int64"},
    "const char *": {"Cstring", "Ptr{UInt8}"},
    "aurorax_search_t *": {"Ptr{Cvoid}"},
    "void": {"Cvoid"},
}


def header_functions():
    code = re.sub(r"/\*.*?\*/", "", HEADER.read_text(), flags=re.S)
    functions = {}
    for ret, name, args in re.findall(r"^([A-Za-z_][\w ]*?\s*\*?)\s*(aurorax_\w+)\(([^)]*)\);", code, flags=re.M):
        params = [] if args.strip() == "void" else [re.sub(r"\s*\b\w+$", "", a.strip()) for a in args.split(",")]
        functions[name] = (normalize(ret), [normalize(p) for p in params])
    return functions


def normalize(c_type):
    return re.sub(r"\s+", " ", c_type.replace("*", " *")).strip().replace(" *", " *")


def julia_ccalls():
    text = JULIA.read_text()
    calls = []
    for m in re.finditer(r"ccall\(\(:(\w+),\s*libaurorax\),\s*([\w{}]+),\s*\(([^()]*)\)", text):
        name, ret, args = m.groups()
        params = [a.strip() for a in args.split(",") if a.strip()]
        line = text.count("\n", 0, m.start()) + 1
        calls.append((name, ret, params, line))
    return calls


def main():
    header = header_functions()
    calls = julia_ccalls()
    failures, passed = [], 0
    if len(header) < 20:
        failures.append(f"parsed only {len(header)} functions from the header")
    for name, ret, params, line in calls:
        if name not in header:
            failures.append(f"line {line}: {name} is not in the header")
            continue
        c_ret, c_params = header[name]
        problems = []
        if ret not in C_TO_JULIA.get(c_ret, set()):
            problems.append(f"returns {ret}, header says {c_ret}")
        if len(params) != len(c_params):
            problems.append(f"{len(params)} arguments, header has {len(c_params)}")
        else:
            for i, (j, c) in enumerate(zip(params, c_params)):
                if j not in C_TO_JULIA.get(c, set()):
                    problems.append(f"argument {i + 1} is {j}, header says {c}")
        if problems:
            failures.append(f"line {line}: {name}: " + "; ".join(problems))
        else:
            passed += 1
    wrapped = {name for name, *_ in calls}
    for name in sorted(set(header) - wrapped):
        failures.append(f"{name} is not wrapped")
    passed += len(set(header) & wrapped)
    for f in failures:
        print("FAIL", f)
    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
