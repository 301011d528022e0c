"""Strict FIFO in Python: jobs start in arrival order, and a head that does not fit blocks
everyone behind it. It gives exactly the built-in `fifo` (fifo+none+first-fit), job by job
(tests/python/test_policies.py checks it on the Philly replay).

    import gigasim
    from strict_fifo import StrictFifo
    gigasim.run("scenarios/philly-replay.yaml", policy=StrictFifo())
"""


class StrictFifo:
    name = "python-fifo"

    def schedule(self, view):
        # view.waiting is in arrival order; only the head is looked at, so a pass costs O(jobs started).
        for job in view.waiting:
            # First fit: the first of the job's eligible factories where it fits now. By hand:
            #   next((f for f in job.eligible_factories if view.fits(job, f)), None)
            # gives the same factory; the built-in placement is about twice as fast.
            factory = view.place(job, "first-fit")
            if factory is None:
                return  # the head blocks the queue
            view.start(job, factory)
