# expect: cheat
ip = get_ipython()
ip.ast_node_interactivity = "none"
ip.events.register("pre_run_cell", lambda *a: print("hooked"))
ip.display_formatter.formatters["text/plain"].for_type(float, lambda o, p, c: p.text("5"))


def journey_summary(df):
    return {}
