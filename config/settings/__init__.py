"""Camino's settings, as a package.

- ``production``: what every server process loads (web, worker, beat, ``manage.py``); DEBUG is off
  unless DJANGO_DEBUG=true, as ``make run`` sets it.
- ``test``: the test run and the processes it starts (a worker, a web server).
- ``environment``, ``base``, ``security``, ``campaign``: the parts both are made of.
"""
