"""Julia cannot run on our machines, so this checks the Julia package mechanically:

* both .jl files (the package and test/runtests.jl) parse (tree-sitter-julia: no syntax error);
* every `ccall(sym(:name), Ret, (Args...,), ...)` names a function of include/aurorax.h with
  the same number of arguments and matching types; there is no other form of ccall (in
  particular no `(:name, lib)` tuple, whose library would be frozen at precompile time);
* every header function is wrapped, except the ones NOT_BOUND says, which are never called;
* C_FUNCTIONS (the symbols resolved when the library loads) lists exactly the ccalled ones;
* every exported name has a docstring, and test/runtests.jl uses every export;
* Project.toml has a real (version 4) UUID and the Preferences and Libdl dependencies;
* the library path is not read at top level (it would be frozen into the precompile cache);
* the waits yield: wait_for and wait_any sleep between polls, and aurorax_wait_any is only
  called with a 1 ms bound;
* errors carry the library's numbers: no status number is copied into a constant, the
  statuses are read from aurorax_status_name over a range, no message is matched against a
  status name, and a NULL return's failure takes aurorax_last_status.

Prints one line per failure and "N passed, N failed"; exits non-zero on any failure.
Run with a Python that has tree_sitter and tree_sitter_julia (bindings/run-tests.sh makes one)."""
import pathlib
import re
import sys
import tomllib
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "bindings/julia/AuroraX"
JULIA = PACKAGE / "src/AuroraX.jl"
TESTS = PACKAGE / "test/runtests.jl"
HEADER = ROOT / "include/aurorax.h"

# C type in the header -> the Julia types that pass or receive it correctly
C_TO_JULIA = {
    "int": {"Cint"},
    "double": {"Cdouble"},
    "int64_t": {"Int64"},
    "int64_t *": {"Ref{Int64}", "Ptr{Int64}"},
    "double *": {"Ptr{Cdouble}"},
    "const char * *": {"Ptr{Ptr{UInt8}}"},
    "const char *": {"Cstring", "Ptr{UInt8}"},
    "aurorax_search_t *": {"Ptr{Cvoid}"},
    "aurorax_search_t *const *": {"Ptr{Ptr{Cvoid}}"},
    "void": {"Cvoid"},
}

# header functions the Julia package deliberately does not call, and why
NOT_BOUND = {
    "aurorax_set_log_callback": "C only (design.md 2.1): Julia code must not run on the library's threads; "
                                "Julia uses AURORAX_LOG or set_log_level",
    "aurorax_wait": "one blocking foreign call stalls Julia's scheduler and GC; wait_for polls "
                    "aurorax_check_for_data and sleeps instead",
}

OLD_PLACEHOLDER_UUID = "5b1c2d7e-8f3a-4e6b-9c0d-a1b2c3d4e5f6"
PREFERENCES_UUID = "21216c6a-2e73-6563-6e65-726566657250"
LIBDL_UUID = "8f399da3-3557-5675-b5ff-fb832c97cbdb"


class Report:
    def __init__(self):
        self.passed, self.failures = 0, []

    def check(self, ok, message):
        if ok:
            self.passed += 1
        else:
            self.failures.append(message)
        return ok


def normalize(c_type):
    return re.sub(r"\s+", " ", c_type.replace("*", " *")).strip().replace(" *", " *")


def header_functions():
    code = re.sub(r"/\*.*?\*/", "", HEADER.read_text(), flags=re.S)
    functions = {}
    for ret, name, args in re.findall(r"^([A-Za-z_][\w ]*?\s*\*?)\s*(aurorax_\w+)\(([^)]*)\);", code, flags=re.M):
        params = [] if args.strip() == "void" else [re.sub(r"\s*\b\w+$", "", a.strip()) for a in args.split(",")]
        functions[name] = (normalize(ret), [normalize(p) for p in params])
    return functions


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def check_syntax(report, path):
    try:
        import tree_sitter
        import tree_sitter_julia
    except ImportError as e:  # a missing tool is a failure, never a skip
        report.check(False, f"{path.name}: cannot check the syntax: {e} (pip install tree-sitter tree-sitter-julia)")
        return
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_julia.language()))
    tree = parser.parse(path.read_bytes())
    bad = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            bad.append(f"line {node.start_point[0] + 1}: {'missing ' + node.type if node.is_missing else 'syntax error'}")
        elif node.has_error:
            stack.extend(node.children)
    report.check(not bad and tree.root_node.child_count > 0, f"{path.name} does not parse: " + "; ".join(sorted(set(bad))[:5]))


def check_ccalls(report, text, header):
    calls = []
    for m in re.finditer(r"ccall\(sym\(:(\w+)\),\s*([\w{}]+),\s*\(([^()]*)\)", text):
        name, ret, args = m.groups()
        params = [a.strip() for a in args.split(",") if a.strip()]
        calls.append((name, ret, params, line_of(text, m.start())))
    code = re.sub(r"^\s*#[^\n]*", "", text, flags=re.M)  # full-line comments may mention ccall
    every_ccall = [line_of(code, m.start()) for m in re.finditer(r"\bccall\(", code)]
    matched = {line for *_, line in calls}
    report.check(len(every_ccall) == len(calls),
                 f"ccalls not of the form ccall(sym(:name), ...) at lines {sorted(set(every_ccall) - matched)}")
    report.check(len(calls) >= 40, f"found only {len(calls)} ccalls")
    for name, ret, params, line in calls:
        if not report.check(name in header, f"line {line}: {name} is not in the header"):
            continue
        report.check(name not in NOT_BOUND, f"line {line}: {name} is called, but {NOT_BOUND.get(name)}")
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
        report.check(not problems, f"line {line}: {name}: " + "; ".join(problems))
    wrapped = {name for name, *_ in calls}
    for name in sorted(header):
        report.check(name in wrapped or name in NOT_BOUND, f"{name} is not wrapped")
    for name in NOT_BOUND:
        report.check(name in header, f"NOT_BOUND names {name}, which the header does not have")
    listed = re.search(r"const C_FUNCTIONS = \((.*?)\n\)", text, flags=re.S)
    if report.check(listed is not None, "no C_FUNCTIONS tuple"):
        names = set(re.findall(r":(\w+)", listed.group(1)))
        report.check(names == wrapped, f"C_FUNCTIONS differs from the ccalled functions: "
                                       f"missing {sorted(wrapped - names)}, extra {sorted(names - wrapped)}")


def exports(text):
    m = re.search(r"^export\s+(.*?)\n(?=\S|\n)", text, flags=re.M | re.S)
    return [e.strip() for e in m.group(1).replace("\n", " ").split(",") if e.strip()] if m else []


def check_docs_and_tests(report, text, tests_text):
    names = exports(text)
    report.check(len(names) >= 35, f"found only {len(names)} exports")
    documented = set()
    # a docstring is a """ block directly followed by the definition it documents
    for m in re.finditer(r'"""(?:(?!""").)*"""\s*\n((?:mutable\s+)?struct\s+(\w+)|function\s+(?:Base\.)?(\w+!?)|(?:Base\.)?(\w+!?)\(|const\s+(\w+))',
                         text, flags=re.S):
        documented.update(g for g in m.groups()[1:] if g)
    for name in names:
        report.check(name in documented, f"export {name} has no docstring")
        report.check(re.search(r"(?<![\w.])" + re.escape(name) + r"(?![\w!])", tests_text) is not None,
                     f"test/runtests.jl does not use {name}")


def check_project(report):
    project = tomllib.loads((PACKAGE / "Project.toml").read_text())
    try:
        u = uuid.UUID(project.get("uuid", ""))
        report.check(u.version == 4 and str(u) != OLD_PLACEHOLDER_UUID, f"Project.toml uuid {u} is not a real v4 UUID")
    except ValueError:
        report.check(False, f"Project.toml uuid {project.get('uuid')!r} is not a UUID")
    deps = project.get("deps", {})
    report.check(deps.get("Preferences") == PREFERENCES_UUID, "Project.toml lacks Preferences (with its UUID) in [deps]")
    report.check(deps.get("Libdl") == LIBDL_UUID, "Project.toml lacks Libdl (with its UUID) in [deps]")
    report.check("Preferences" in project.get("compat", {}), "no [compat] bound for Preferences")
    report.check("Test" in project.get("extras", {}) and "Test" in project.get("targets", {}).get("test", []),
                 "Test is not a test target")


def check_runtime_library_path(report, text):
    top_level_env = [line_of(text, m.start()) for m in re.finditer(r"^const[^\n]*\bENV\b", text, flags=re.M)]
    report.check(not top_level_env, f"ENV read into a constant (frozen at precompile) at lines {top_level_env}")
    report.check(re.search(r'get\(ENV, "AURORAX_LIB"', text) is not None and "load_preference(" in text,
                 "the library path comes neither from AURORAX_LIB at run time nor from Preferences")


def function_body(text, name):
    m = re.search(r"^function " + name + r"\(.*?^end$", text, flags=re.S | re.M)
    return m.group(0) if m else ""


def check_waits_yield(report, text):
    for name in ("wait_for", "wait_any"):
        body = function_body(text, name)
        report.check("sleep(" in body, f"{name} does not sleep between polls")
    for m in re.finditer(r"ccall\(sym\(:aurorax_wait_any\)[^)]*\)[^)]*\),?\s*([^)]*)\)", text):
        report.check(m.group(1).strip().endswith("0.001"), f"aurorax_wait_any called with {m.group(1)!r}, not a 1 ms bound")


def check_statuses_from_the_library(report, text):
    code = re.sub(r"^\s*#[^\n]*", "", text, flags=re.M)
    copied = [line_of(code, m.start()) for m in re.finditer(r"^const\s+\w+\s*=\s*-\d+", code, flags=re.M)]
    report.check(not copied, f"status numbers copied into constants at lines {copied}")
    report.check(re.search(r"for code in 0:-1:-\d+\s*\n\s*name = status_name\(code\)", code) is not None,
                 "the statuses are not read from status_name over a range")
    parsed = [line_of(code, m.start()) for m in re.finditer(r"startswith\((message|last_error\(\)|why)", code)]
    report.check(not parsed, f"a message is matched against a status name at lines {parsed}")
    report.check(re.search(r"function last_failure\(\)\s*\n\s*code = last_status\(\)", code) is not None,
                 "last_failure does not take its status from aurorax_last_status")
    for m in re.finditer(r"\b\w+ == C_NULL && throw\((\w+)\(([^)]*)\)", code):
        report.check(m.group(1) == "last_failure" or m.group(2).startswith("last_status("),
                     f"line {line_of(code, m.start())}: a NULL return's failure without last_status()")


def main():
    report = Report()
    text = JULIA.read_text()
    tests_text = TESTS.read_text() if TESTS.exists() else ""
    report.check(TESTS.exists(), "no test/runtests.jl")
    header = header_functions()
    report.check(len(header) >= 40, f"parsed only {len(header)} functions from the header")
    check_syntax(report, JULIA)
    if TESTS.exists():
        check_syntax(report, TESTS)
    check_ccalls(report, text, header)
    check_docs_and_tests(report, text, tests_text)
    check_project(report)
    check_runtime_library_path(report, text)
    check_waits_yield(report, text)
    check_statuses_from_the_library(report, text)
    for f in report.failures:
        print("FAIL", f)
    print(f"{report.passed} passed, {len(report.failures)} failed")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
