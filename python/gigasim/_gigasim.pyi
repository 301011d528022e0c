"""Types of the extension module (sim/python/); the public API is gigasim/__init__.py."""
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union, overload

__version__: str

class Error(RuntimeError): ...
class ScenarioError(Error):
    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
class PolicyError(Error): ...
class OutputError(Error): ...

FactoryArg = Union[int, str, "Factory"]

class Job:
    id: int
    label: str
    tenant: int
    tenant_name: str
    chips: int
    submit: float
    estimate: float
    work_left: float
    attempts: int
    interruptions: int
    running: bool
    factory: Optional[int]
    start: Optional[float]
    expected_end: Optional[float]
    attained_service: float
    eligible_factories: Tuple[int, ...]

class Factory:
    index: int
    name: str
    chip: str
    chip_bf16_flops: float
    node_size: int
    domain_nodes: Optional[int]
    online: bool
    installed_nodes: int
    healthy_nodes: int
    free_nodes: int
    busy_nodes: int
    serving_nodes: int
    down_nodes: int
    maintenance_nodes: int
    running: List[Job]
    def nodes_for(self, chips: int) -> int: ...
    def could_ever_fit(self, chips: int) -> bool: ...
    def shadow(self, nodes: int) -> Optional[Tuple[float, int]]: ...
    def released_by(self, t: float) -> int: ...

class Tenant:
    index: int
    name: str
    share: float
    priority: int
    preemptible: bool
    quota: Optional[float]
    held_chips: int
    used_chip_hours: float
    fair_share_usage: float
    fair_share_rank: int
    def within_quota(self, chips: int) -> bool: ...

class WaitingJobs(Sequence[Job]):
    def __len__(self) -> int: ...
    @overload
    def __getitem__(self, i: int) -> Job: ...
    @overload
    def __getitem__(self, s: slice) -> List[Job]: ...
    def __iter__(self) -> Iterator[Job]: ...

class PolicyView:
    now: float
    waiting: WaitingJobs
    factories: List[Factory]
    tenants: List[Tenant]
    services: List[Dict[str, Any]]
    def service_demand(self, service: int, t: float) -> float: ...
    def fits(self, job: Job, factory: FactoryArg) -> bool: ...
    def place(self, job: Job, placement: str = "first-fit") -> Optional[int]: ...
    def estimate(self, job: Job, factory: FactoryArg) -> float: ...
    def start(self, job: Job, factory: FactoryArg) -> None: ...
    def preempt(self, job: Job) -> None: ...
    def preemptible(self, factory: FactoryArg) -> List[Job]: ...

class Start:
    job: Job
    factory: FactoryArg
    def __init__(self, job: Job, factory: FactoryArg) -> None: ...

class Preempt:
    job: Job
    def __init__(self, job: Job) -> None: ...

class ScenarioSet:
    name: str
    plans: List[str]
    path: str
    overridden: bool
    seed: int
    horizon: Optional[float]
    start: Optional[str]
    warnings: List[str]
    factories: List[str]
    tenants: List[str]
    policy: str

def load(path: str, set: List[Tuple[str, str]]) -> ScenarioSet: ...
def loads(text: str, label: str, base_dir: str, set: List[Tuple[str, str]]) -> ScenarioSet: ...
def parse_duration(text: str) -> float: ...
def parse_horizon(text: str, start: Optional[str]) -> float: ...
def run(scenario: ScenarioSet, plan: Optional[str], seed: Optional[int], horizon: Optional[float], policy: Any,
        jobs: bool, timeseries: Optional[float]) -> Dict[str, Any]: ...
def bench(scenario: ScenarioSet, plan: Optional[str], policies: list, replicas: int, seed: Optional[int],
          horizon: Optional[float], threads: int) -> str: ...
def compare(scenario: ScenarioSet, replicas: int, seed: Optional[int], horizon: Optional[float], threads: int) -> str: ...
def sweep(path: str, parameters: List[Tuple[str, List[str]]], replicas: int, seed: Optional[int],
          horizon: Optional[float], threads: int, shard: int, shards: int) -> str: ...
def sweep_values(text: str) -> List[str]: ...
def policy_names() -> List[str]: ...

class Simulation:
    def __init__(self, scenario: ScenarioSet, plan: Optional[str], seed: Optional[int], horizon: Optional[float],
                 policy: Any, jobs: bool, timeseries: Optional[float]) -> None: ...
    def step(self) -> bool: ...
    def run_until(self, time: float) -> None: ...
    def stop(self) -> None: ...
    def fork(self) -> "Simulation": ...
    def result(self) -> Dict[str, Any]: ...
    done: bool
    now: float
    next_event_time: Optional[float]
    active_jobs: int
    queue_length: int
    factories: List[Dict[str, Any]]
