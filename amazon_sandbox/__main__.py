"""``python -m amazon_sandbox --port 8100 [--seed 1] [--orders N]``: a local SP-API on real time."""

import argparse
import logging
import signal
import sys

from .app import DEFAULT_REDIRECT_URI, Sandbox, serve_in_thread
from .clock import SystemClock


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m amazon_sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same sellers and orders")
    parser.add_argument("--orders", type=int, default=2000, help="orders per seller over 90 days back, 14 ahead")
    parser.add_argument("--sellers", type=int, default=2)
    parser.add_argument("--report-seconds", type=float, default=30.0, help="how long a report takes to be DONE")
    parser.add_argument(
        "--redirect-uri", action="append", help=f"the app's OAuth redirect URI (repeatable; {DEFAULT_REDIRECT_URI})"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    sandbox = Sandbox(
        clock=SystemClock(),
        seed=args.seed,
        orders=args.orders,
        sellers=args.sellers,
        report_seconds=args.report_seconds,
        redirect_uris=args.redirect_uri,
    )
    running = serve_in_thread(sandbox, host=args.host, port=args.port)
    app = sandbox.application
    print(f"SP-API sandbox at {running.url}  (LWA token endpoint {running.url}/auth/o2/token)")
    print(f"  client_id={app.client_id} client_secret={app.client_secret} application_id={app.application_id}")
    print(f"  consent: {running.url}/apps/authorize/consent?application_id={app.application_id}&state=STATE")
    for spid, market in sandbox.marketplaces.items():
        print(f"  seller {spid} ({market.seller_name}): refresh_token={sandbox.self_authorize(spid)}")
    sys.stdout.flush()
    signal.signal(signal.SIGTERM, lambda *_: running.server.shutdown())
    try:
        running.thread.join()
    except KeyboardInterrupt:
        running.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
