"""Shared code for Kiln's bundled Project API template servers.

The Project API (docs/project-api.md) is JSON-RPC 2.0 over the server's
stdin/stdout, one JSON object per line. This module holds what every
bundled template needs: the request loop, the checks on a Model Library
Format (MLF) archive and its safe extraction, the project folder checks,
and a transport over a child process's stdin/stdout (the host program, or
an emulator whose UART is on stdio).

Standard library only, so a template needs nothing but python3. A template
outside Kiln's tree need not use this file: the wire format is the contract.
"""

import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tarfile
import time
import traceback

PROTOCOL_VERSION = 1

# JSON-RPC error codes: the standard ones and one for everything a user
# should read (bad option, build failure, missing tool).
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
SERVER_ERROR = -32000


class ServerError(Exception):
    """An error the user sees: its message becomes the JSON-RPC error message."""

    def __init__(self, message, code=SERVER_ERROR):
        super().__init__(message)
        self.code = code


def log(message):
    """Logs to stderr: stdout carries nothing but JSON-RPC responses."""
    sys.stderr.write(message.rstrip("\n") + "\n")
    sys.stderr.flush()


def load_template_json(template_dir):
    with open(os.path.join(template_dir, "template.json"), encoding="utf-8") as f:
        return json.load(f)


def serve(handlers):
    """Answers requests from stdin until end of file.

    `handlers` maps a method name to a function taking the params object and
    returning the result. Exceptions become JSON-RPC errors; nothing a
    handler prints can reach the protocol stream.
    """
    protocol_out = sys.stdout
    sys.stdout = sys.stderr  # a stray print() in a handler must not corrupt the stream

    def respond(request_id, result=None, error=None):
        message = {"jsonrpc": "2.0", "id": request_id}
        if error is not None:
            message["error"] = error
        else:
            message["result"] = result
        protocol_out.write(json.dumps(message) + "\n")
        protocol_out.flush()

    while True:
        line = sys.stdin.readline()
        if not line:
            break
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except ValueError as e:
            respond(None, error={"code": PARSE_ERROR, "message": "request is not JSON: %s" % e})
            continue
        if not isinstance(request, dict) or not isinstance(request.get("method"), str):
            respond(request.get("id") if isinstance(request, dict) else None,
                    error={"code": INVALID_REQUEST, "message": "not a JSON-RPC request"})
            continue
        request_id = request.get("id")
        method = request["method"]
        params = request.get("params", {})
        if not isinstance(params, dict):
            respond(request_id, error={"code": INVALID_PARAMS, "message": "params must be an object"})
            continue
        handler = handlers.get(method)
        if handler is None:
            respond(request_id, error={"code": METHOD_NOT_FOUND, "message": "unknown method '%s'" % method})
            continue
        try:
            result = handler(params)
        except ServerError as e:
            respond(request_id, error={"code": e.code, "message": str(e)})
            continue
        except Exception as e:  # a bug in the server: say so, keep serving
            log(traceback.format_exc())
            respond(request_id, error={"code": SERVER_ERROR,
                                       "message": "internal error in the template server: %s: %s"
                                                  % (type(e).__name__, e)})
            continue
        respond(request_id, result=result if result is not None else {})


def param(params, name, kind=str):
    """A required parameter of the given Python type, or an INVALID_PARAMS error."""
    if name not in params or not isinstance(params[name], kind) or (kind is int and isinstance(params[name], bool)):
        raise ServerError("missing or invalid parameter '%s' (expected %s)" % (name, kind.__name__), INVALID_PARAMS)
    return params[name]


def resolve_options(template_info, params):
    """The params' options with the template's defaults filled in, type-checked.

    The Kiln client already checks options against template.json; a server
    checks again because any client may call it.
    """
    given = params.get("options", {}) or {}
    if not isinstance(given, dict):
        raise ServerError("options must be an object", INVALID_PARAMS)
    kinds = {"string": str, "int": int, "bool": bool}
    declared = {o["name"]: o for o in template_info.get("options", [])}
    resolved = {}
    for name, value in given.items():
        if name not in declared:
            raise ServerError("unknown option '%s'; the options are: %s" % (name, ", ".join(sorted(declared))),
                              INVALID_PARAMS)
        kind = declared[name]["type"]
        ok = isinstance(value, kinds[kind]) and not (kind == "int" and isinstance(value, bool))
        if not ok:
            raise ServerError("option '%s' expects a %s, got %s" % (name, kind, json.dumps(value)), INVALID_PARAMS)
        resolved[name] = value
    for name, spec in declared.items():
        if name not in resolved:
            if spec.get("required"):
                raise ServerError("missing required option '%s'" % name, INVALID_PARAMS)
            resolved[name] = spec.get("default")
    return resolved


def prepare_project_dir(project_dir):
    """Creates the project folder; refuses one that exists and is not empty."""
    if not os.path.isabs(project_dir):
        raise ServerError("project_dir must be an absolute path, got '%s'" % project_dir, INVALID_PARAMS)
    if os.path.exists(project_dir):
        if not os.path.isdir(project_dir):
            raise ServerError("'%s' exists and is not a directory" % project_dir)
        if os.listdir(project_dir):
            raise ServerError("project directory '%s' exists and is not empty; choose a new one" % project_dir)
    os.makedirs(project_dir, exist_ok=True)


def _check_member_path(name):
    parts = name.replace("\\", "/").split("/")
    if name.startswith("/") or ".." in parts:
        raise ServerError("refusing MLF archive entry '%s': absolute path or '..'" % name)


def extract_model_library(source, dest):
    """Copies an MLF (a .tar archive or an extracted folder) into `dest`.

    Returns the parsed metadata.json after checking its format and version.
    """
    if os.path.isdir(source):
        shutil.copytree(source, dest)
    elif os.path.isfile(source) and tarfile.is_tarfile(source):
        with tarfile.open(source) as tar:
            members = []
            for member in tar.getmembers():
                _check_member_path(member.name)
                if member.isdir() or member.isfile():
                    members.append(member)
            os.makedirs(dest, exist_ok=True)
            for member in members:
                target = os.path.join(dest, member.name)
                if member.isdir():
                    os.makedirs(target, exist_ok=True)
                    continue
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with tar.extractfile(member) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out)
    else:
        raise ServerError("'%s' is neither an MLF archive (.tar) nor an extracted MLF folder" % source)
    metadata_path = os.path.join(dest, "metadata.json")
    try:
        with open(metadata_path, encoding="utf-8") as f:
            metadata = json.load(f)
    except (OSError, ValueError) as e:
        raise ServerError("'%s' has no readable metadata.json: %s" % (source, e))
    if metadata.get("format") != "kiln-mlf" or metadata.get("format_version") != 1:
        raise ServerError("'%s' is not a version 1 Kiln MLF (format %r, version %r)"
                          % (source, metadata.get("format"), metadata.get("format_version")))
    return metadata


def run_command(argv, cwd, timeout_s):
    """Runs a build step; returns (exit code, combined output)."""
    try:
        done = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout_s)
    except FileNotFoundError:
        raise ServerError("cannot run '%s': not found (is it installed and in PATH?)" % argv[0])
    except subprocess.TimeoutExpired:
        raise ServerError("'%s' did not finish within %d s" % (" ".join(argv), timeout_s))
    return done.returncode, done.stdout.decode("utf-8", "replace")


class ProcessTransport:
    """Bytes to and from a child process's stdin/stdout.

    Reads never block past their timeout. Writes also drain the child's
    output into a buffer, so a child that answers before it has read all
    its input cannot deadlock against us.
    """

    WRITE_TIMEOUT_S = 30.0

    def __init__(self, argv, cwd):
        try:
            self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=sys.stderr)
        except OSError as e:
            raise ServerError("cannot start '%s': %s" % (argv[0], e))
        self.out_fd = self.proc.stdout.fileno()
        self.in_fd = self.proc.stdin.fileno()
        os.set_blocking(self.out_fd, False)
        os.set_blocking(self.in_fd, False)
        self.pending = bytearray()
        self.eof = False

    def _pull(self):
        try:
            chunk = os.read(self.out_fd, 65536)
        except BlockingIOError:
            return
        if chunk:
            self.pending += chunk
        else:
            self.eof = True

    def read(self, n, timeout_s):
        if not self.pending and not self.eof:
            ready, _, _ = select.select([self.out_fd], [], [], max(0.0, timeout_s))
            if ready:
                self._pull()
        data = bytes(self.pending[:n])
        del self.pending[:n]
        return data, self.eof and not self.pending

    def write(self, data):
        deadline = time.monotonic() + self.WRITE_TIMEOUT_S
        view = memoryview(data)
        while view:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ServerError("the device did not accept %d bytes within %d s" % (len(view), self.WRITE_TIMEOUT_S))
            readers = [self.out_fd] if not self.eof else []
            r, w, _ = select.select(readers, [self.in_fd], [], left)
            if r:
                self._pull()
            if w:
                try:
                    view = view[os.write(self.in_fd, view):]
                except BlockingIOError:
                    pass
                except BrokenPipeError:
                    raise ServerError("the device closed its input (exit code %s)" % self.proc.poll())

    def close(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
