"""EASY backfilling in Python (Lifka 1995; Mu'alem & Feitelson 2001): jobs start in arrival
order; when the head does not fit, it gets a reservation at the earliest time enough nodes are
expected to be free (by running jobs' start + estimate), and later jobs may start now if they
do not delay it -- they end by then, or use only nodes the head will not need.

It gives exactly the built-in `easy` (fifo+easy+first-fit), job by job, on scenarios whose
factories are online from the start and whose tenants have no quotas (tests/python/
test_policies.py checks it on the Philly replay). The built-in also reserves on a factory not
yet online, at its online date; this example leaves those out.

Times are compared in whole milliseconds, as the engine keeps them, so that a job that ends
exactly at the reservation counts as in time.
"""


def ms(seconds):
    return round(seconds * 1000)


class EasyBackfill:
    name = "python-easy"

    def schedule(self, view):
        waiting = view.waiting
        i = 0
        # Start heads while they fit.
        while i < len(waiting):
            head = waiting[i]
            f = self.first_fit(view, head)
            if f is None:
                break
            view.start(head, f)
            i += 1
        if i == len(waiting):
            return
        head = waiting[i]
        reservation = self.reserve(view, head)
        now = ms(view.now)
        for job in waiting[i + 1:]:
            if reservation is None:  # the head can never be reserved for: plain backfilling
                f = self.first_fit(view, job)
                if f is not None:
                    view.start(job, f)
                continue
            rf, shadow, extra = reservation
            in_time = []  # asked at most once: an estimate on another factory costs a plan

            def ends_in_time():
                if not in_time:
                    in_time.append(ms(view.estimate(job, rf)) <= shadow - now)
                return in_time[0]

            def may_start_on(f):
                return f != rf or view.factories[f].nodes_for(job.chips) <= extra or ends_in_time()

            f = next((f for f in job.eligible_factories if view.fits(job, f) and may_start_on(f)), None)
            if f is None:
                continue
            if f == rf and not ends_in_time():  # it keeps nodes past the shadow time: they are spoken for
                reservation = (rf, shadow, extra - view.factories[f].nodes_for(job.chips))
            view.start(job, f)

    @staticmethod
    def first_fit(view, job):
        return next((f for f in job.eligible_factories if view.fits(job, f)), None)

    @staticmethod
    def reserve(view, head):
        """(factory, shadow time ms, extra nodes): the factory where the head can start earliest."""
        best = None
        now = ms(view.now)
        for f in head.eligible_factories:
            factory = view.factories[f]
            if not factory.online or not factory.could_ever_fit(head.chips):
                continue
            need = factory.nodes_for(head.chips)
            if need <= factory.free_nodes:
                continue  # blocked by a quota, which this example does not model
            expected = factory.shadow(need - factory.free_nodes)
            if expected is None:
                continue
            when, released = ms(expected[0]), expected[1]
            # A job past its estimate could end any moment: count every such job as ending now.
            if when < now:
                released = factory.released_by(view.now)
            shadow = max(when, now)
            extra = factory.free_nodes + released - need
            if best is None or shadow < best[1]:
                best = (f, shadow, extra)
        return best
