"""One module per declared clause: each defines its rule and calls `sanshi.rules.registry.register` with it.
Adding a file here is how a clause is added (docs/ARCHITECTURE.md, "新增一个条款")."""
