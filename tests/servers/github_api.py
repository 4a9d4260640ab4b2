"""A GitHub REST API for tests, on 127.0.0.1: the issue comment routes the action uses.

Answers as GitHub documents them (https://docs.github.com/rest/issues/comments):

====================================================  ====================================================
``GET /repos/{o}/{r}/issues/{n}/comments``            200, a page (``per_page`` default 30, at most 100),
                                                      ``Link: <.../repositories/{id}/issues/{n}/comments
                                                      ?per_page=..&page=..>; rel="next", <...>; rel="last"``
``GET /repositories/{id}/issues/{n}/comments``        the same (GitHub's Link URLs use the repository id)
``POST /repos/{o}/{r}/issues/{n}/comments``           201, the comment, ``Location`` header
``PATCH /repos/{o}/{r}/issues/comments/{id}``         200, the comment
no or wrong token                                     401 ``Bad credentials`` (``Requires authentication``
                                                      on writes without one)
read-only token (a fork's), on a write                403 ``Resource not accessible by integration``
unknown repository, issue or comment                  404 ``Not Found``
body missing / not a string / over 65536 characters   422 ``Invalid request.`` / ``Validation Failed``
====================================================  ====================================================

Error bodies are ``{"message", "documentation_url", "status"}`` with
``Content-Type: application/json; charset=utf-8``, as GitHub sends them. The server
records every request (method, path, whether it carried the right token).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

DOCS = "https://docs.github.com/rest/issues/comments"
MAX_BODY = 65536


class Reply(Exception):
    """An answer to send at once."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


def error(status: int, message: str, doc: str, **extra: Any) -> Reply:
    """GitHub's error body."""
    return Reply(status, {"message": message, **extra, "documentation_url": doc, "status": str(status)})


@dataclass
class FakeGitHub:
    """One repository ``owner/name`` with issues (pull requests) and their comments.

    :param token: the job token; :param read_only: the token may read but not write.
    :param issues: the issue numbers that exist.
    """

    repository: str = "acme/schemas"
    token: str = "ghs_test-job-token"
    read_only: bool = False
    issues: set[int] = field(default_factory=lambda: {1})
    repo_id: int = 4242
    login: str = "github-actions[bot]"
    comments: dict[int, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._next_id = 1000
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.github = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        """The API base URL (what ``GITHUB_API_URL`` holds)."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> FakeGitHub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def add_comment(self, number: int, body: str, login: str = "octocat") -> dict[str, Any]:
        """A comment written by someone else (e.g. a reviewer)."""
        with self._lock:
            return self._create(number, body, login)

    def _create(self, number: int, body: str, login: str) -> dict[str, Any]:
        self._next_id += 1
        cid = self._next_id
        stamp = f"2024-05-01T12:{len(self.comments) // 60:02d}:{len(self.comments) % 60:02d}Z"
        owner = self.repository.split("/")[0]
        comment = {
            "id": cid, "node_id": f"IC_kwDO{cid}",
            "url": f"{self.url}/repos/{self.repository}/issues/comments/{cid}",
            "html_url": f"https://github.com/{self.repository}/pull/{number}#issuecomment-{cid}",
            "body": body, "user": {"login": login, "id": 41898282, "type": "Bot" if "[bot]" in login else "User"},
            "created_at": stamp, "updated_at": stamp, "author_association": "NONE" if login != owner else "OWNER",
            "issue_url": f"{self.url}/repos/{self.repository}/issues/{number}", "_issue": number,
        }
        self.comments[cid] = comment
        return comment

    @staticmethod
    def public(comment: dict[str, Any]) -> dict[str, Any]:
        """The comment as the API shows it."""
        return {k: v for k, v in comment.items() if not k.startswith("_")}

    def of_issue(self, number: int) -> list[dict[str, Any]]:
        """The comments of ``number``, oldest first."""
        return [c for c in sorted(self.comments.values(), key=lambda c: c["id"]) if c["_issue"] == number]

    # ------------------------------------------------------------------ routing
    def route(self, method: str, path: str, query: dict[str, list[str]], auth: str, raw: bytes) -> Reply:
        parts = path.strip("/").split("/")
        authorized = auth == f"Bearer {self.token}" or auth == f"token {self.token}"
        with self._lock:
            self.requests.append((method, path))
        if auth and not authorized:
            raise error(401, "Bad credentials", "https://docs.github.com/rest")
        if method != "GET" and not auth:
            raise error(401, "Requires authentication", "https://docs.github.com/rest")
        match (method, parts):
            case ("GET", ["repos", owner, name, "issues", number, "comments"]) if f"{owner}/{name}" == self.repository:
                return self.list_page(self.issue(number, "list-issue-comments"), query)
            case ("GET", ["repositories", rid, "issues", number, "comments"]) if rid == str(self.repo_id):
                return self.list_page(self.issue(number, "list-issue-comments"), query)
            case ("POST", ["repos", owner, name, "issues", number, "comments"]) if f"{owner}/{name}" == self.repository:
                issue = self.issue(number, "create-an-issue-comment")
                body = self.body(raw, "create-an-issue-comment")
                with self._lock:
                    created = self._create(issue, body, self.login)
                return Reply(201, self.public(created), {"Location": created["url"]})
            case ("PATCH", ["repos", owner, name, "issues", "comments", cid]) if f"{owner}/{name}" == self.repository:
                if not cid.isdigit() or int(cid) not in self.comments:
                    raise error(404, "Not Found", f"{DOCS}#update-an-issue-comment")
                body = self.body(raw, "update-an-issue-comment")
                with self._lock:
                    found = self.comments[int(cid)]
                    found["body"] = body
                    found["updated_at"] = "2024-05-02T08:00:00Z"
                return Reply(200, self.public(found))
        raise error(404, "Not Found", "https://docs.github.com/rest")

    def issue(self, raw: str, doc: str) -> int:
        if not raw.isdigit() or int(raw) not in self.issues:
            raise error(404, "Not Found", f"{DOCS}#{doc}")
        return int(raw)

    def body(self, raw: bytes, doc: str) -> str:
        if self.read_only:
            raise error(403, "Resource not accessible by integration", f"{DOCS}#{doc}")
        try:
            data = json.loads(raw or b"null")
        except ValueError:
            raise error(400, "Problems parsing JSON", f"{DOCS}#{doc}") from None
        body = data.get("body") if isinstance(data, dict) else None
        if not isinstance(body, str):
            raise error(422, f"Invalid request.\n\nFor 'properties/body', {json.dumps(body)} is not a string.",
                        f"{DOCS}#{doc}")
        if len(body) > MAX_BODY:
            raise error(422, "Validation Failed", f"{DOCS}#{doc}", errors=[{
                "resource": "IssueComment", "code": "custom", "field": "body",
                "message": f"body is too long (maximum is {MAX_BODY} characters)"}])
        return body

    def list_page(self, number: int, query: dict[str, list[str]]) -> Reply:
        per_page = max(1, min(100, int(query.get("per_page", ["30"])[0])))
        page = max(1, int(query.get("page", ["1"])[0]))
        comments = self.of_issue(number)
        last = max(1, -(-len(comments) // per_page))
        chunk = comments[(page - 1) * per_page: page * per_page]
        base = f"{self.url}/repositories/{self.repo_id}/issues/{number}/comments?per_page={per_page}"
        links = []
        if page < last:
            links += [f'<{base}&page={page + 1}>; rel="next"', f'<{base}&page={last}>; rel="last"']
        if page > 1:
            links += [f'<{base}&page=1>; rel="first"', f'<{base}&page={page - 1}>; rel="prev"']
        return Reply(200, [self.public(c) for c in chunk], {"Link": ", ".join(links)} if links else {})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.dispatch("GET")

    def do_POST(self) -> None:
        self.dispatch("POST")

    def do_PATCH(self) -> None:
        self.dispatch("PATCH")

    def dispatch(self, method: str) -> None:
        github: FakeGitHub = self.server.github  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        split = urlsplit(self.path)
        try:
            reply = github.route(method, split.path, parse_qs(split.query), self.headers.get("Authorization", ""),
                                 raw)
        except Reply as answer:
            reply = answer
        data = json.dumps(reply.body).encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-GitHub-Api-Version-Selected", "2022-11-28")
        for key, value in reply.headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)
