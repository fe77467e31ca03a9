"""A thin client generated from Amazon's models, for the contract tests only.

It builds each request from the operation's model (path template, query parameters,
arrays as comma-separated values, JSON body) and checks **every** answer it parses against
the model's schema for that status — independently of the sandbox's own check — so a
response the desk's client would read wrongly fails here. The desk's real client is the
official SDK (README, "SP-API client"); this one exists so the contract does not depend on it.
"""

from dataclasses import dataclass
from typing import Any

import requests

from amazon_sandbox.spec import all_operations


@dataclass
class Answer:
    status: int
    body: Any
    headers: requests.structures.CaseInsensitiveDict


class SpApiTestClient:
    def __init__(self, base_url: str, *, client_id: str, client_secret: str, refresh_token: str | None = None):
        self.base_url = base_url
        self.client_id, self.client_secret = client_id, client_secret
        self.refresh_token = refresh_token
        self.access_token: str | None = None
        self.session = requests.Session()

    def token(self, **form: str) -> requests.Response:
        data = {"client_id": self.client_id, "client_secret": self.client_secret, **form}
        return self.session.post(f"{self.base_url}/auth/o2/token", data=data, timeout=10)

    def authenticate(self) -> str:
        response = self.token(grant_type="refresh_token", refresh_token=self.refresh_token)
        response.raise_for_status()
        self.access_token = response.json()["access_token"]
        return self.access_token

    def call(self, operation_id: str, *, body: Any = None, raw_query: dict | None = None, **params: Any) -> Answer:
        """Call an operation by its operationId; ``params`` by the model's parameter names."""
        op = all_operations()[operation_id]
        path = op.path
        query: dict[str, str] = {}
        for param in op.parameters:
            if param.name not in params:
                continue
            value = params.pop(param.name)
            if param.location == "path":
                path = path.replace("{" + param.name + "}", str(value))
            elif param.location == "query":
                query[param.name] = ",".join(value) if isinstance(value, list | tuple) else str(value)
        if params:
            raise TypeError(f"{operation_id} has no parameters {sorted(params)}")
        query.update(raw_query or {})
        headers = {"x-amz-access-token": self.access_token} if self.access_token else {}
        response = self.session.request(
            op.method, self.base_url + path, params=query, json=body, headers=headers, timeout=10
        )
        parsed = response.json() if response.content else None
        op.validate_response(response.status_code, parsed)  # the contract check
        return Answer(response.status_code, parsed, response.headers)

    def fetch(self, url: str) -> requests.Response:
        return self.session.get(url, timeout=10)
