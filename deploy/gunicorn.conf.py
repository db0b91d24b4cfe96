"""gunicorn for the CTG application: `gunicorn -c deploy/gunicorn.conf.py ctg.wsgi`."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Rendering a PDF is CPU-bound: one worker per core, plus one to answer while the others render.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
# Threads: a request waiting on PostgreSQL or the storage holds a thread, not the processor.
threads = int(os.environ.get("GUNICORN_THREADS", 8))
worker_class = "gthread"
# A first render of a long convention takes a few seconds; nothing legitimate takes a minute.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Workers are recycled now and then, so a slow leak never grows for long.
max_requests = 1000
max_requests_jitter = 100
# Import the application (and WeasyPrint) once, before forking: workers start warm.
preload_app = True
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# No gunicornc control socket: its default place ($HOME/.gunicorn, i.e. /opt/ctg) is read-only for
# the service; systemd reloads (HUP) and stops it.
control_socket_disable = True
