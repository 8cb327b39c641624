"""Julia cannot run on our machines, so this checks the Julia package mechanically:

* both .jl files (the package and test/runtests.jl) parse (tree-sitter-julia: no syntax error);
* every `ccall(sym(:name), Ret, (Args...,), ...)` or `@gc_safe_ccall(sym(:name), ...)` names a
  function of include/aurorax.h with the same number of arguments and matching types; there
  is no other form of ccall (in particular no `(:name, lib)` tuple, whose library would be
  frozen at precompile time) outside the @gc_safe_ccall macro itself;
* every function the header says blocks (describe, shutdown, get_data, save_data, ...) is
  called through @gc_safe_ccall, which converts its arguments first and makes the call alone
  in a GC-safe region (a blocking ordinary ccall stalls every thread's garbage collection in
  a threaded session);
* the status name is not printed twice in an error (the library's messages begin with it);
* `describe`, which DataFrames and StatsBase export, is not exported;
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


GC_SAFE_MACRO = re.compile(r"^macro gc_safe_ccall\(.*?^end$", flags=re.S | re.M)


def check_ccalls(report, text, header):
    calls = []
    for m in re.finditer(r"(@gc_safe_ccall|\bccall)\(sym\(:(\w+)\),\s*([\w{}]+),\s*\(([^()]*)\)", text):
        form, name, ret, args = m.groups()
        params = [a.strip() for a in args.split(",") if a.strip()]
        calls.append((name, ret, params, line_of(text, m.start())))
    code = re.sub(r"^\s*#[^\n]*", "", text, flags=re.M)  # full-line comments may mention ccall
    # the macro's own three ccalls (enter, the call, leave) are checked by check_blocking_calls
    code = GC_SAFE_MACRO.sub(lambda m: "\n" * m.group(0).count("\n"), code)
    every_ccall = [line_of(code, m.start()) for m in re.finditer(r"(@gc_safe_ccall|\bccall)\(", code)]
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


def blocking_functions(header_text):
    """The functions whose documentation in the header says they block."""
    names = set()
    for m in re.finditer(r"/\*\*((?:(?!\*/).)*)\*/\s*[^;{]*?\b(aurorax_\w+)\s*\(", header_text, flags=re.S):
        doc, name = m.groups()
        if re.search(r"\bBlocks\b|\bblocks for\b|\bblocking as\b", doc):
            names.add(name)
    return names


def check_blocking_calls(report, text):
    blocking = blocking_functions(HEADER.read_text()) - set(NOT_BOUND)
    report.check({"aurorax_describe", "aurorax_shutdown", "aurorax_get_data", "aurorax_save_data"} <= blocking,
                 f"the header's blocking functions were not found: {sorted(blocking)}")
    for m in re.finditer(r"(@gc_safe_ccall|\bccall)\(sym\(:(\w+)\)", text):
        form, name = m.groups()
        if name in blocking:
            report.check(form == "@gc_safe_ccall", f"line {line_of(text, m.start())}: {name} blocks, "
                         "but is called with a plain ccall (every thread's GC waits for it)")
    macro = GC_SAFE_MACRO.search(text)
    if report.check(macro is not None, "no macro gc_safe_ccall"):
        body = macro.group(0)
        at = {k: body.find(k) for k in ("Base.cconvert", "Base.unsafe_convert", "ccall(:jl_gc_safe_enter, Int8, ())",
                                         "ccall($fptr", "ccall(:jl_gc_safe_leave, Cvoid, (Int8,)", "GC.@preserve")}
        report.check(all(v >= 0 for v in at.values()), f"gc_safe_ccall lacks {[k for k, v in at.items() if v < 0]}")
        report.check(at["Base.unsafe_convert"] < at["ccall(:jl_gc_safe_enter, Int8, ())"] < at["ccall($fptr"]
                     < at["ccall(:jl_gc_safe_leave, Cvoid, (Int8,)"],
                     "gc_safe_ccall must convert its arguments, enter the GC-safe region, call, and leave, in that order")
        report.check(len(re.findall(r"\bccall\(", body)) == 3, "gc_safe_ccall makes other foreign calls")
        report.check("$fptr = $(esc(fn))" in body and "ccall($(esc(fn))" not in body,
                     "gc_safe_ccall must resolve the function pointer (sym reads a Dict) before the GC-safe region")


def check_julia_conventions(report, text):
    names = exports(text)
    report.check("describe" not in names, "describe is exported: it collides with DataFrames.describe and StatsBase.describe")
    show = re.search(r"Base\.showerror\(io::IO, e::AuroraXError\)[^\n]*\n?[^\n]*", text)
    if report.check(show is not None, "no showerror for AuroraXError"):
        report.check("startswith(e.message, e.name" in show.group(0),
                     "showerror prints the status name before a message that already begins with it")


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
    parsed = [line_of(code, m.start()) for m in re.finditer(r"startswith\((\w+\.)?(message|last_error\(\)|why)", code)
              if not code[code.rfind("\n", 0, m.start()) + 1:m.start()].lstrip().startswith("startswith(e.message, e.name")
              and "Base.showerror" not in code[code.rfind("\n", 0, code.rfind("\n", 0, m.start())):m.start()]]
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
    check_blocking_calls(report, text)
    check_julia_conventions(report, text)
    for f in report.failures:
        print("FAIL", f)
    print(f"{report.passed} passed, {len(report.failures)} failed")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
