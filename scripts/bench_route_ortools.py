#!/usr/bin/env python3
"""Route quality check: the best tour OR-Tools finds on the distance matrices written by
`porte bench route --matrix-out FILE`, compared with Porte's tour on the same matrix.

Usage:
    cargo run --release -- bench route --matrix-out target/route-matrices.json
    python3 scripts/bench_route_ortools.py target/route-matrices.json [--seconds 30]

OR-Tools (from PyPI) is installed on first use in a virtual environment under
target/ortools-venv; the script re-runs itself there. For each matrix it solves the same
problem as Porte (a walk from node 0 through every node, back to 0 when `closed`, else ending
anywhere: a zero-cost dummy end node) with PATH_CHEAPEST_ARC + GUIDED_LOCAL_SEARCH under a time
limit, on distances in decimetres, and prints our_length / ortools_length.
"""

import json
import os
import subprocess
import sys
import venv

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, "target", "ortools-venv")


def ensure_ortools():
    try:
        import ortools  # noqa: F401
        return
    except ImportError:
        pass
    py = os.path.join(VENV, "bin", "python")
    if os.path.abspath(sys.executable) == os.path.abspath(py):
        sys.exit("ortools is not installed in " + VENV)
    if not os.path.exists(py):
        print("creating " + VENV + " and installing ortools...", file=sys.stderr)
        venv.create(VENV, with_pip=True)
        subprocess.check_call([py, "-m", "pip", "install", "--quiet", "ortools"])
    os.execv(py, [py] + sys.argv)


def solve(case, seconds):
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    m = case["matrix_m"]
    n = len(m)
    closed = case["closed"]
    # Decimetres; a dummy end node (index n) at zero cost from everywhere for open walks.
    size = n if closed else n + 1
    end = 0 if closed else n

    def dm(a, b):
        if a == n or b == n:
            return 0
        return int(round(m[a][b] * 10))

    manager = pywrapcp.RoutingIndexManager(size, 1, [0], [end])
    routing = pywrapcp.RoutingModel(manager)

    def cb(i, j):
        return dm(manager.IndexToNode(i), manager.IndexToNode(j))

    t = routing.RegisterTransitCallback(cb)
    routing.SetArcCostEvaluatorOfAllVehicles(t)
    p = pywrapcp.DefaultRoutingSearchParameters()
    p.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    p.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    p.time_limit.seconds = seconds
    sol = routing.SolveWithParameters(p)
    if sol is None:
        raise SystemExit("OR-Tools found no solution for " + case["source"])
    order = []
    i = routing.Start(0)
    while not routing.IsEnd(i):
        node = manager.IndexToNode(i)
        if node != 0:
            order.append(node)
        i = sol.Value(routing.NextVar(i))
    length = 0.0
    prev = 0
    for node in order:
        length += m[prev][node]
        prev = node
    if closed:
        length += m[prev][0]
    return order, length


def main():
    args = [a for a in sys.argv[1:]]
    seconds = 30
    if "--seconds" in args:
        k = args.index("--seconds")
        seconds = int(args[k + 1])
        del args[k : k + 2]
    if len(args) != 1:
        sys.exit(__doc__)
    ensure_ortools()
    with open(args[0]) as f:
        cases = json.load(f)
    worst = 0.0
    for case in cases:
        order, length = solve(case, seconds)
        assert sorted(order) == list(range(1, len(case["matrix_m"])))
        ratio = case["our_length_m"] / length
        worst = max(worst, ratio)
        print(
            "%s: %d stops, ours %.1f m, OR-Tools (GLS %d s) %.1f m, our_length / ortools_length = %.4f, alphabetical %.1f m"
            % (
                case["source"],
                len(case["matrix_m"]) - 1,
                case["our_length_m"],
                seconds,
                length,
                ratio,
                case["alphabetical_m"],
            )
        )
    print("worst ratio %.4f (target <= 1.03)" % worst)
    sys.exit(0 if worst <= 1.03 else 1)


if __name__ == "__main__":
    main()
