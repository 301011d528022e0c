"""Tiresias-style discretised two-dimensional least-attained-service (Gu et al., NSDI'19):
a policy gigasim does not have built in.

A job's attained service is chips x time it has run (both dimensions: a wide job ages as fast
as its width). Queues are bands of attained service, `thresholds` apart (chip-hours); a job
moves to a lower-priority band once its service passes a threshold. Waiting jobs are taken by
(band, arrival); one that does not fit may preempt running jobs in strictly lower-priority
bands (most attained service first) when that frees enough nodes. Jobs that cannot start are
skipped: the policy is work-conserving. Running jobs are re-examined at every pass where jobs
wait (arrivals and completions), not on a timer.

Preemption stops a job at its last checkpoint (give the workload a checkpoint interval to keep
work, as Tiresias's suspend/resume does) and needs preemptible tenants.

Typical thresholds: two bands split at one GPU-hour, as in the paper's default configuration
with K = 2 queues; pass more to get more bands.
"""


class TiresiasLAS:
    name = "tiresias-las"
    preempts = True  # the engine then lists preemptible running jobs and accepts preemptions

    def __init__(self, thresholds_chip_hours=(1.0,)):
        self.thresholds = [t * 3600.0 for t in thresholds_chip_hours]  # chip-seconds

    def band(self, job):
        service = job.attained_service
        return sum(1 for t in self.thresholds if service >= t)

    def schedule(self, view):
        order = sorted(view.waiting, key=lambda j: (self.band(j), j.id))
        for job in order:
            f = next((f for f in job.eligible_factories if view.fits(job, f)), None)
            if f is None:
                f = self.make_room(view, job)
            if f is not None:
                view.start(job, f)

    def make_room(self, view, job):
        """Preempts lower-band jobs on the first factory where that frees enough nodes."""
        band = self.band(job)
        for f in job.eligible_factories:
            factory = view.factories[f]
            if not factory.online or not view.tenants[job.tenant].within_quota(job.chips):
                continue
            need = factory.nodes_for(job.chips)
            victims = sorted((v for v in view.preemptible(f) if self.band(v) > band),
                             key=lambda v: (-v.attained_service, -v.id))
            chosen, freed = [], factory.free_nodes
            for v in victims:
                if freed >= need:
                    break
                chosen.append(v)
                freed += factory.nodes_for(v.chips)
            if freed < need:
                continue
            for v in chosen:
                view.preempt(v)
            if view.fits(job, f):  # nodes given back may first go to maintenance or removals
                return f
        return None
