"""The worker benchmark: a real Celery worker drains N tasks of each kind, timed against N no-op tasks."""

import time

from bench.stack import celery_worker, django_shell, queue_size, stop

TASK_KINDS = {
    # name: (Python that enqueues N tasks and prints nothing, Python that prints how many are done)
    "noop (baseline)": (
        "from core.tasks import noop_task\nfor _ in range({n}): noop_task.delay()",
        None,
    ),
    "worker ping (one DB write)": (
        "from core.models import WorkerPing\nfrom core.tasks import worker_ping_answer_task\n"
        "WorkerPing.objects.all().delete()\n"
        "ids=[WorkerPing.objects.create(source='web').pk for _ in range({n})]\n"
        "[worker_ping_answer_task.delay(i) for i in ids]",
        "from core.models import WorkerPing\nprint(WorkerPing.objects.filter(answered_at__isnull=False).count())",
    ),
    "letter delivery (file backend)": (
        # Real submissions: each stores a letter and 3 deliveries (2 senators + 1 representative of
        # the demo ZIP 98109) and queues their tasks after commit, plus the supporter's confirmation.
        "from advocacy.models import Campaign, Delivery\nfrom advocacy.services import campaign_sign\n"
        "from congress.lookup import lookup_by_zip\n"
        "Delivery.objects.all().delete()\n"
        "campaign=Campaign.objects.get(slug='protect-children-seeking-safety')\nlookup=lookup_by_zip('98109')\n"
        "for i in range(-(-{n}//3)):\n"
        "    campaign_sign(campaign=campaign, lookup=lookup, email=f'bench{{i}}@example.org', prefix='Ms.',"
        " first_name='Ana', last_name='Bench', street='1 Main St', city='Seattle', state='WA', zip_code='98109')",
        "from advocacy.models import Delivery\n"
        "print(-(-{n}//3)*3 if Delivery.objects.exclude(status='sent').count()==0 else 0)",
    ),
}


def task_benchmark(env, tasks: int, kinds: dict) -> list[dict]:
    results = []
    for name, (enqueue, done_count) in kinds.items():
        django_shell(env, enqueue.format(n=tasks))  # enqueue first, then time the worker draining it
        worker = celery_worker(env)
        started = time.perf_counter()
        try:
            while True:
                if done_count is None:
                    if queue_size(env) == 0:
                        break
                elif int(django_shell(env, done_count.format(n=tasks))) >= tasks:
                    break
                time.sleep(0.2)
            elapsed = time.perf_counter() - started
        finally:
            stop(worker)
        results.append({"task": name, "tasks": tasks, "seconds": elapsed, "tasks_per_second": tasks / elapsed})
    baseline = results[0]["seconds"]
    for row in results:
        row["ratio_to_noop"] = row["seconds"] / baseline
    return results
