"""Find learner code that reaches into the grading, before it runs.

Verdicts are decided outside the kernel, so such code cannot buy points; it is still a sign
of an attempt, and the instructor decides. ``scan(source)`` returns Russian reasons, one per
kind of reach found: trace/profile hooks, frame inspection, ``gc``/``ctypes``, IPython input
transformers, event hooks and display formatters, import hooks, shell commands, rebinding
builtins or patching library functions and classes.
"""

from __future__ import annotations

import ast

__all__ = ["scan"]

_ATTRS = {
    "settrace": "перехват выполнения (sys.settrace / setprofile)",
    "setprofile": "перехват выполнения (sys.settrace / setprofile)",
    "gettrace": "перехват выполнения (sys.settrace / setprofile)",
    "_getframe": "чтение кадров стека (frame)",
    "currentframe": "чтение кадров стека (frame)",
    "getouterframes": "чтение кадров стека (frame)",
    "f_back": "чтение кадров стека (frame)",
    "f_locals": "чтение кадров стека (frame)",
    "f_globals": "чтение кадров стека (frame)",
    "f_code": "чтение кадров стека (frame)",
    "tb_frame": "чтение кадров стека (frame)",
    "gi_frame": "чтение кадров стека (frame)",
    "get_objects": "обход объектов интерпретатора (gc)",
    "get_referrers": "обход объектов интерпретатора (gc)",
    "get_referents": "обход объектов интерпретатора (gc)",
    "input_transformers_cleanup": "изменение кода ячеек перед выполнением (IPython)",
    "input_transformers_post": "изменение кода ячеек перед выполнением (IPython)",
    "input_transformer_manager": "изменение кода ячеек перед выполнением (IPython)",
    "ast_transformers": "изменение кода ячеек перед выполнением (IPython)",
    "ast_node_interactivity": "изменение вывода ячеек (IPython)",
    "events": "обработчики событий IPython",
    "register_magic_function": "обработчики событий IPython",
    "set_custom_exc": "подмена обработки ошибок (IPython)",
    "showtraceback": "подмена обработки ошибок (IPython)",
    "display_formatter": "подмена вывода результатов (display formatter)",
    "displayhook": "подмена вывода результатов (display formatter)",
    "display_pub": "подмена вывода результатов (display formatter)",
    "excepthook": "подмена обработки ошибок (IPython)",
    "meta_path": "перехват импорта модулей",
    "path_hooks": "перехват импорта модулей",
    "path_importer_cache": "перехват импорта модулей",
    "modules": "перехват импорта модулей",
    "addaudithook": "перехват выполнения (sys.settrace / setprofile)",
    "run_cell": "запуск кода в обход ячеек (IPython)",
    "__globals__": "чтение внутренних атрибутов функций и классов",
    "__code__": "чтение внутренних атрибутов функций и классов",
    "__closure__": "чтение внутренних атрибутов функций и классов",
    "__builtins__": "подмена встроенных функций Python",
    "__subclasses__": "чтение внутренних атрибутов функций и классов",
    "__class__": "чтение внутренних атрибутов функций и классов",
    "__dict__": "чтение внутренних атрибутов функций и классов",
    "system": "запуск внешних команд",
    "fork": "запуск внешних процессов",
    "kill": "сигналы другим процессам",
    "killpg": "сигналы другим процессам",
}
_MODULES = {
    "ctypes": "низкоуровневый доступ к памяти (ctypes)",
    "gc": "обход объектов интерпретатора (gc)",
    "inspect": "чтение кадров стека (frame)",
    "builtins": "подмена встроенных функций Python",
    "importlib": "перехват импорта модулей",
    "imp": "перехват импорта модулей",
    "subprocess": "запуск внешних процессов",
    "multiprocessing": "запуск внешних процессов",
    "socket": "сетевые соединения",
    "signal": "сигналы другим процессам",
    "pty": "запуск внешних процессов",
    "threading": "фоновые потоки",
    "_thread": "фоновые потоки",
    "atexit": "обработчики событий IPython",
    "sys": None,  # sys alone is fine; its dangerous attributes are listed above
}
_CALLS = {
    "globals": "доступ к переменным проверки (globals/vars/locals)",
    "vars": "доступ к переменным проверки (globals/vars/locals)",
    "locals": "доступ к переменным проверки (globals/vars/locals)",
    "exec": "выполнение кода из строки (exec/eval/compile)",
    "eval": "выполнение кода из строки (exec/eval/compile)",
    "compile": "выполнение кода из строки (exec/eval/compile)",
    "__import__": "перехват импорта модулей",
    "setattr": "подмена функций библиотек или классов",
    "delattr": "подмена функций библиотек или классов",
}
_BUILTINS = {
    "type", "float", "int", "str", "dict", "list", "tuple", "bool", "isinstance",
    "issubclass", "len", "print", "display", "open", "__import__", "getattr", "setattr",
    "hasattr", "repr", "object", "super", "Exception", "BaseException", "get_ipython",
}  # fmt: skip
_FUNC_BUILTINS = {"sum", "min", "max", "abs", "round", "sorted", "any", "all", "map", "zip"}
REBIND = "подмена встроенных функций Python"
PATCH = "подмена функций библиотек или классов"
SHELL = "команды оболочки или магические команды"


def _transform(source: str) -> str:
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(source)
    except Exception:
        return source


def _chain_root(node: ast.AST) -> tuple[str | None, int]:
    depth = 0
    while isinstance(node, ast.Attribute):
        node = node.value
        depth += 1
    return (node.id if isinstance(node, ast.Name) else None), depth


def scan(source: str) -> list[str]:
    """Russian reasons why ``source`` reaches into the grading (empty when it does not)."""
    reasons: list[str] = []

    def add(reason: str | None) -> None:
        if reason and reason not in reasons:
            reasons.append(reason)

    stripped = "\n".join(line.lstrip() for line in source.splitlines())
    if any(line.startswith(("!", "%")) for line in stripped.splitlines()):
        add(SHELL)
    try:
        tree = ast.parse(_transform(source))
    except SyntaxError:
        return reasons
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            base = node.module if isinstance(node, ast.ImportFrom) else None
            for alias in node.names:
                top = (base or alias.name).split(".")[0]
                add(_MODULES.get(top))
                modules.add((alias.asname or alias.name).split(".")[0])
                if alias.name in _ATTRS:
                    add(_ATTRS[alias.name])
        elif isinstance(node, ast.Attribute):
            add(_ATTRS.get(node.attr))
            if node.attr == "events" or node.attr.startswith("register"):
                add(_ATTRS.get("events"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            add(_CALLS.get(node.func.id))
        elif isinstance(node, ast.Name) and node.id in {"__builtins__", "__builtin__"}:
            add(REBIND)
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            flat: list[ast.AST] = []
            for target in targets:
                flat += target.elts if isinstance(target, ast.Tuple | ast.List) else [target]
            value = getattr(node, "value", None)
            for sub in flat:
                if isinstance(sub, ast.Name) and sub.id in _BUILTINS:
                    add(REBIND)
                if isinstance(sub, ast.Name) and sub.id in _FUNC_BUILTINS:
                    if isinstance(value, ast.Lambda | ast.Name | ast.Attribute):
                        add(REBIND)
                if isinstance(sub, ast.Attribute):
                    root, depth = _chain_root(sub)
                    if depth >= 2 or root in modules:
                        add(PATCH)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node.name in _BUILTINS or node.name in _FUNC_BUILTINS:
                add(REBIND)
    return reasons
