"""Staff operations keep no tables of their own: roles are auth groups, history lives in
simple-history's tables. The module exists so Django sends this app post_migrate (roles sync)."""
