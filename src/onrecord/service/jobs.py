"""Ingest jobs run in the background, one at a time (a SQLite store has one writer), and read while they run."""
from __future__ import annotations

import shutil
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..corpus import Corpus, NotInStore
from ..options import Options

KEPT_JOBS = 1000  # finished jobs remembered; the oldest are forgotten first


@dataclass
class Job:
    """An ingest's state ("queued", "running", "done", "failed"), pages done by outcome, and its summary line."""
    id: str
    state: str = "queued"
    pages: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    summary: str | None = None
    error: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


class Jobs:
    """Starts ingest jobs on uploaded files and keeps their progress."""

    def __init__(self, corpus: Corpus, options: Options):
        self.corpus, self.options = corpus, options
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="onrecord-ingest")
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()

    def start(self, path: Path) -> Job:
        job = Job(id=uuid.uuid4().hex)
        with self.lock:
            self.jobs[job.id] = job
            while len(self.jobs) > KEPT_JOBS:
                self.jobs.pop(next(iter(self.jobs)))
        self.pool.submit(self._run, job, path)
        return job

    def get(self, job_id: str) -> Job:
        with self.lock:
            if job_id not in self.jobs:
                raise NotInStore(f"no job {job_id}")
            return self.jobs[job_id]

    def _run(self, job: Job, path: Path) -> None:
        def progress(outcome: str) -> None:
            with self.lock:
                job.pages += 1
                job.outcomes[outcome] = job.outcomes.get(outcome, 0) + 1

        job.state = "running"
        try:
            summary = self.corpus.ingest([path], options=self.options.with_(allow_private=False), progress=progress)
            job.summary, job.state = summary.render(), "done"
        except Exception as error:  # any failure is the job's result, never the server's
            job.error, job.state = f"{type(error).__name__}: {error}", "failed"
        finally:
            shutil.rmtree(path.parent, ignore_errors=True)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
