"""What the network fixture scripts share: the lava-nc version, and a run of a Lava network in
its fixed-point models with spikes, u and v of every LIF recorded."""
from importlib.metadata import version

from lava.magma.core.run_conditions import RunSteps
from lava.magma.core.run_configs import Loihi1SimCfg
from lava.proc.lif.models import PyLifModelBitAcc
from lava.proc.monitor.process import Monitor

LAVA_VERSION = version("lava-nc")


def run_and_record(lifs, connections, steps):
    """Runs the network of the LIF processes `lifs` ({name: LIF}) for `steps` steps with
    `Loihi1SimCfg(select_tag="fixed_pt")`, checks that every LIF ran `PyLifModelBitAcc` and every
    connection process the model class it is paired with in `connections` ([(process, model
    class)]), and returns {name: (s_out, u, v)}, each as Lava's Monitor gives it: an array of
    shape (steps, *the LIF's shape)."""
    monitors = {}
    for name, lif in lifs.items():
        monitors[name] = (Monitor(), Monitor(), Monitor())
        for monitor, variable in zip(monitors[name], (lif.s_out, lif.u, lif.v)):
            monitor.probe(variable, steps)
    first = next(iter(lifs.values()))
    first.run(condition=RunSteps(num_steps=steps), run_cfg=Loihi1SimCfg(select_tag="fixed_pt"))
    try:
        for lif in lifs.values():
            assert lif.model_class is PyLifModelBitAcc, lif.model_class
        for process, model in connections:
            assert process.model_class is model, (process.name, process.model_class)
        return {name: tuple(monitor.get_data()[name][key] for monitor, key in zip(trio, ("s_out", "u", "v")))
                for name, trio in monitors.items()}
    finally:
        first.stop()
