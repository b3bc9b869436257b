"""Where cells run besides this process: local worker processes that end with their parent, or a
Dask cluster (``mtorsim[dask]``)."""

from __future__ import annotations

import os
from collections.abc import Callable

from mtorsim.errors import MtorsimError
from mtorsim.screening.cells import run_cell

_WORKER: dict = {}


def _init_worker(parent: int, net, vocab, env, update, method, options) -> None:
    _die_with_parent(parent)
    _WORKER.update(net=net, vocab=vocab, env=env, update=update, method=method, options=options)


def _die_with_parent(parent: int) -> None:
    """Ask Linux to end this worker when its parent (pid ``parent``) dies, even by kill -9;
    elsewhere a no-op. A parent that died before the request was made (the worker was already
    handed to another parent, so the signal would never come) ends the worker at once."""
    import ctypes
    import signal
    import sys

    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except OSError:
            return
        if os.getppid() != parent:
            os._exit(1)


def _work(key: tuple):
    label, mutations, treatment, cell_env = key
    w = _WORKER
    return key, run_cell(
        w["net"],
        w["vocab"],
        {**w["env"], **dict(cell_env)},
        mutations,
        treatment,
        w["update"],
        w["method"],
        w["options"],
        threads=1,
    )  # one thread per process: --jobs N uses N cores


def _run_processes(jobs: int, todo: list, finish: Callable, net, vocab, env, update, method, options) -> None:
    """The cells in ``jobs`` local processes; ``finish(key, result)`` as each one ends."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(
        max_workers=min(jobs, len(todo)),
        initializer=_init_worker,
        initargs=(os.getpid(), net, vocab, env, update, method, options),
    ) as pool:
        futures = [pool.submit(_work, key) for key in todo]
        try:
            for fut in as_completed(futures):
                finish(*fut.result())
        except BaseException:
            for f in futures:
                f.cancel()
            raise


DASK_EXTRA = "needs the optional extra: pip install 'mtorsim[dask]'"


def _dask_cell(net, vocab, env, mutations, treatment, update, method, options):
    """A Dask task: one cell (net and vocab arrive scattered, once per worker)."""
    return run_cell(net, vocab, env, mutations, treatment, update, method, options, threads=1)


def require_dask() -> None:
    """MtorsimError unless ``dask.distributed`` can be imported."""
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        raise MtorsimError(f"`scheduler` {DASK_EXTRA}") from None


def connect_dask(address: str, timeout: float = 10):
    """A ``dask.distributed.Client`` for the scheduler at ``address`` (MtorsimError if Dask is not
    installed or nothing answers there)."""
    require_dask()
    from dask.distributed import Client
    from distributed.comm import parse_address
    from distributed.comm.registry import get_backend

    try:
        get_backend(parse_address(address)[0])
    except ValueError as exc:
        raise MtorsimError(f"`scheduler` {address}: {exc}; give an address such as tcp://host:8786") from None
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise MtorsimError(
            f"`scheduler` {address}: cannot connect to a Dask scheduler there ({exc}); start one "
            "with `dask scheduler` and workers with `dask worker ADDRESS`, or use `jobs` N for "
            "local processes"
        ) from None


def _run_dask(address: str, todo, finish, net, vocab, env, update, method, options) -> None:
    """Submit every cell to the Dask cluster at ``address``; ``finish`` runs here, in this process,
    as each one completes (so the database is only ever written by this process). The workers
    need mtorsim installed (the same version): the network and vocabulary are pickled to them."""
    from dask.distributed import as_completed

    client = connect_dask(address)
    futures: dict = {}
    try:
        if not client.scheduler_info().get("workers"):
            try:
                client.wait_for_workers(1, timeout=30)
            except TimeoutError:
                raise MtorsimError(
                    f"`scheduler` {address}: the scheduler has no workers after 30 s; start some "
                    f"with `dask worker {address}`"
                ) from None
        net_f, vocab_f = client.scatter([net, vocab], broadcast=True, hash=False)
        for key in todo:  # key = (label, mutations, treatment, env); kept here, never sent as a task argument
            fut = client.submit(
                _dask_cell,
                net_f,
                vocab_f,
                {**env, **dict(key[3])},
                list(key[1]),
                list(key[2]),
                update,
                method,
                dict(options),
                pure=False,
            )
            futures[fut] = key
        for fut in as_completed(list(futures), loop=client.loop):
            try:
                result = fut.result()
            except ModuleNotFoundError as exc:
                raise MtorsimError(
                    f"`scheduler` {address}: a Dask worker cannot import '{exc.name}' ({exc}); "
                    "install mtorsim (the same version) in the workers' environment"
                ) from None
            finish(futures[fut], result)
    finally:
        if futures:
            client.cancel(list(futures))
        client.close()
