"""Build the :mod:`.model` graph from JSON documents, the way everit's loader does.

One :class:`Loader` per parse: it turns the document (and the referenced documents,
``name -> JSON``) into :class:`Node` objects, resolving every ``$ref`` it reaches
(``#/definitions/...``, ``#/$defs/...``, anchors, relative file refs such as
``address.json#/definitions/street`` or ``../common/money.json``, a document's ``$id``,
and the bundled meta-schemas of :mod:`.metaschemas`, offline). A chain of ``$ref`` that only points at
other ``$ref`` and comes back is a cycle and an error, and so is one that comes
back only through ``allOf``/``anyOf``/``oneOf`` (``{"allOf": [{"$ref": "#"}]}``: a
schema defined as itself, which no validator or differ can walk to an end);
recursion through real schemas (a tree whose ``children`` refer to ``#``) is fine
and is left to the differ's cycle detection.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

from . import metaschemas
from .model import ALL_OF, ANY_OF, ONE_OF, Node, freeze

__all__ = ["DRAFT_URIS", "LoadError", "Loader", "draft_of"]

SYNTHETIC_ROOT = "https://schemafed.invalid/"
MAIN_URI = SYNTHETIC_ROOT + "__local__.json"

DRAFT_URIS = {
    4: "http://json-schema.org/draft-04/schema#",
    6: "http://json-schema.org/draft-06/schema#",
    7: "http://json-schema.org/draft-07/schema#",
    2019: "https://json-schema.org/draft/2019-09/schema",
    2020: "https://json-schema.org/draft/2020-12/schema",
}

ARRAY_KEYWORDS = frozenset(
    (
        "items",
        "additionalItems",
        "maxItems",
        "minItems",
        "uniqueItems",
        "contains",
        "prefixItems",
        "maxContains",
        "minContains",
        "unevaluatedItems",
    )
)
OBJECT_KEYWORDS = frozenset(
    (
        "properties",
        "required",
        "minProperties",
        "maxProperties",
        "dependencies",
        "patternProperties",
        "additionalProperties",
        "propertyNames",
        "dependentRequired",
        "dependentSchemas",
        "unevaluatedProperties",
    )
)
NUMBER_KEYWORDS = frozenset(("minimum", "maximum", "multipleOf", "exclusiveMinimum", "exclusiveMaximum"))
STRING_KEYWORDS = frozenset(("minLength", "maxLength", "pattern", "format"))
CONDITIONAL_KEYWORDS = frozenset(("if", "then", "else"))
_TYPED_KIND = {"string": "string", "integer": "number", "number": "number", "boolean": "boolean"}
_TYPED_KIND.update({"null": "null", "object": "object", "array": "array"})


class LoadError(Exception):
    """A ``$ref`` that cannot be followed; ``doc``/``ptr`` say where it is written."""

    def __init__(self, message: str, doc: str, ptr: str) -> None:
        super().__init__(message)
        self.doc = doc
        self.ptr = ptr


def draft_of(document: Any, default: int = 7) -> int:
    """The draft a document declares with ``$schema`` (4, 6, 7, 2019, 2020), else ``default``."""
    if not isinstance(document, dict):
        return default
    uri = document.get("$schema")
    if not isinstance(uri, str):
        return default
    for marker, draft in (("draft-04", 4), ("draft-06", 6), ("draft-07", 7), ("2019-09", 2019), ("2020-12", 2020)):
        if marker in uri:
            return draft
    if uri.rstrip("#/").endswith("json-schema.org/schema"):
        return 2020
    return default


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class Loader:
    """Loads one document and the documents it refers to into a :class:`Node` graph."""

    def __init__(
        self,
        document: Any,
        references: Mapping[str, Any] | None = None,
        draft: int | None = None,
        *,
        lazy: bool = False,
    ) -> None:
        self.lazy = lazy
        self.docs: dict[str, Any] = {"": document}
        self.drafts: dict[str, int] = {}
        self.base: dict[str, str] = {}
        self.by_uri: dict[str, str] = {}
        self.cache: dict[tuple[str, str], Node] = {}
        self.refs: list[Node] = []
        self.pending: list[tuple[Node, tuple[str, str, Any]]] = []
        main_draft = draft if draft is not None else draft_of(document)
        refs = references or {}
        main_uri = _main_uri(refs)
        self._register("", document, main_uri, main_draft)
        for name, ref_doc in refs.items():
            self.docs[name] = ref_doc
            self._register(name, ref_doc, urljoin(main_uri, name), draft_of(ref_doc, main_draft))

    def _register(self, name: str, document: Any, uri: str, draft: int) -> None:
        self.drafts[name] = draft
        self.by_uri[uri] = name
        base = uri
        if isinstance(document, dict):
            own_id = document.get("$id" if draft >= 6 else "id")
            if isinstance(own_id, str) and own_id and not own_id.startswith("#"):
                base = urljoin(uri, own_id)
                self.by_uri.setdefault(urldefrag(base)[0], name)
        self.base[name] = urldefrag(base)[0]

    # ----------------------------------------------------------------- entry
    def load_root(self) -> Node:
        """The node of the main document; raises :class:`LoadError` for a bad ``$ref``."""
        root = self.load(self.docs[""], "", "")
        while self.pending:  # targets load after their enclosing schema, so "#" is the root itself
            node, (target_doc, target_ptr, target) = self.pending.pop()
            node.referred = self.load(target, target_doc, target_ptr)
        for node in self.refs:
            seen = {id(node)}
            target = node.referred
            while target is not None and target.kind == "ref":
                if id(target) in seen:
                    raise LoadError(f"$ref cycle: {node.ref!r} only leads back to itself", node.doc, node.ptr)
                seen.add(id(target))
                target = target.referred
        if self.refs:
            self._refuse_combined_cycles()
        return root

    def _refuse_combined_cycles(self) -> None:
        """A ``$ref`` that leads back to itself through combinators only is an error (iterative DFS)."""
        done: set[int] = set()
        for start in self.refs:
            if id(start) in done:
                continue
            on_path: set[int] = {id(start)}
            stack: list[tuple[Node, Any]] = [(start, iter(_combinator_edges(start)))]
            while stack:
                node, edges = stack[-1]
                nxt = next(edges, None)
                if nxt is None:
                    stack.pop()
                    on_path.discard(id(node))
                    done.add(id(node))
                    continue
                if id(nxt) in on_path:
                    raise LoadError(
                        f"$ref cycle: {start.ref!r} leads back to itself through allOf/anyOf/oneOf only "
                        "(a schema defined as itself)",
                        start.doc,
                        start.ptr,
                    )
                if id(nxt) not in done:
                    on_path.add(id(nxt))
                    stack.append((nxt, iter(_combinator_edges(nxt))))

    def load(self, value: Any, doc: str, ptr: str) -> Node:
        """The node for ``value`` found at ``ptr`` in document ``doc`` (cached per place)."""
        key = (doc, ptr)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        if value is True or value is False:
            node = Node("true" if value else "false", doc, ptr, value)
            self.cache[key] = node
            return node
        if not isinstance(value, dict):
            node = Node("empty", doc, ptr, value)
            self.cache[key] = node
            return node
        if "$ref" in value and isinstance(value["$ref"], str):
            node = Node("ref", doc, ptr, value)
            node.ref = value["$ref"]
            self.cache[key] = node
            self.refs.append(node)
            self._common(node, value, doc)
            self.pending.append((node, self.resolve(node.ref, doc, ptr)))
            return node
        parts = self._extract(value, doc, ptr)
        if not parts:
            node = Node("empty", doc, ptr, value)
        elif len(parts) == 1:
            node = parts[0]
        else:
            node = Node("combined", doc, ptr, value)
            node.criterion = ALL_OF
            node.subschemas = parts
        self._common(node, value, doc)
        self.cache[key] = node
        return node

    # ------------------------------------------------------------ extraction
    def _extract(self, value: dict[str, Any], doc: str, ptr: str) -> list[Node]:
        parts: list[Node] = []
        if "enum" in value and isinstance(value["enum"], list):
            node = Node("enum", doc, ptr, value)
            node.enum_values = frozenset(freeze(v) for v in value["enum"])
            parts.append(node)
        for criterion in (ALL_OF, ANY_OF, ONE_OF):
            subs = value.get(criterion)
            if isinstance(subs, list):
                # raw names the keyword: anyOf [A, B] and oneOf [A, B] are different schemas.
                node = Node("combined", doc, ptr, {criterion: subs})
                node.criterion = criterion
                node.subschemas = [self.load(s, doc, f"{ptr}/{criterion}/{i}") for i, s in enumerate(subs)]
                parts.append(node)
        if "not" in value:
            node = Node("not", doc, ptr, value)
            node.must_not_match = self.load(value["not"], doc, ptr + "/not")
            parts.append(node)
        if "const" in value and self.drafts[doc] >= 6:
            node = Node("const", doc, ptr, value)
            node.value = freeze(value["const"])
            parts.append(node)
        declared = value.get("type")
        if isinstance(declared, str):
            parts.append(self._typed(declared, value, doc, ptr))
        elif isinstance(declared, list):
            node = Node("combined", doc, ptr, value)
            node.criterion = ANY_OF
            node.subschemas = [self._typed(t, value, doc, ptr) for t in declared if isinstance(t, str)]
            parts.append(node)
        else:
            keys = value.keys()
            if not ARRAY_KEYWORDS.isdisjoint(keys):
                parts.append(self._typed("array", value, doc, ptr))
            if not OBJECT_KEYWORDS.isdisjoint(keys):
                parts.append(self._typed("object", value, doc, ptr))
            if not NUMBER_KEYWORDS.isdisjoint(keys):
                parts.append(self._typed("number", value, doc, ptr))
            if not STRING_KEYWORDS.isdisjoint(keys):
                parts.append(self._typed("string", value, doc, ptr))
            if self.drafts[doc] >= 7 and not CONDITIONAL_KEYWORDS.isdisjoint(keys):
                parts.append(Node("conditional", doc, ptr, value))
        return parts

    def _typed(self, type_name: str, value: dict[str, Any], doc: str, ptr: str) -> Node:
        kind = _TYPED_KIND.get(type_name, "empty")
        node = Node(kind, doc, ptr, value)
        if kind == "string":
            node.max_length = _int(value.get("maxLength"))
            node.min_length = _int(value.get("minLength"))
            pattern = value.get("pattern")
            node.pattern = pattern if isinstance(pattern, str) else None
        elif kind == "number":
            self._number(node, value, doc)
            node.requires_integer = type_name == "integer"
        elif kind == "object":
            self._object(node, value, doc, ptr)
        elif kind == "array":
            self._array(node, value, doc, ptr)
        return node

    def _number(self, node: Node, value: dict[str, Any], doc: str) -> None:
        node.maximum = _num(value.get("maximum"))
        node.minimum = _num(value.get("minimum"))
        if self.drafts[doc] >= 6:
            node.exclusive_maximum = _num(value.get("exclusiveMaximum"))
            node.exclusive_minimum = _num(value.get("exclusiveMinimum"))
        node.multiple_of = _num(value.get("multipleOf"))

    def _object(self, node: Node, value: dict[str, Any], doc: str, ptr: str) -> None:
        props = value.get("properties")
        if isinstance(props, dict):
            node.props_raw = props
            node.loader = self
            if not self.lazy:
                for name in props:
                    node.prop(name)
        required = value.get("required")
        if isinstance(required, list):
            node.required = [r for r in required if isinstance(r, str)]
        node.min_properties = _int(value.get("minProperties"))
        node.max_properties = _int(value.get("maxProperties"))
        for keyword in ("dependencies", "dependentRequired", "dependentSchemas"):
            deps = value.get(keyword)
            if not isinstance(deps, dict):
                continue
            if node.property_dependencies is Node.property_dependencies:
                node.property_dependencies = {}
                node.schema_dependencies = {}
            for k, v in deps.items():
                if isinstance(v, list):
                    node.property_dependencies[k] = frozenset(x for x in v if isinstance(x, str))
                else:
                    node.schema_dependencies[k] = self.load(v, doc, f"{ptr}/{keyword}/{_escape(k)}")
        additional = value.get("additionalProperties")
        if isinstance(additional, bool):
            node.permits_additional_properties = additional
        elif isinstance(additional, dict):
            node.additional_properties = self.load(additional, doc, ptr + "/additionalProperties")
        patterns = value.get("patternProperties")
        if isinstance(patterns, dict):
            node.pattern_properties = [
                (k, self.load(v, doc, f"{ptr}/patternProperties/{_escape(k)}")) for k, v in patterns.items()
            ]
        if "unevaluatedProperties" in value:
            node.unevaluated_properties = self.load(value["unevaluatedProperties"], doc, ptr + "/unevaluatedProperties")

    def _array(self, node: Node, value: dict[str, Any], doc: str, ptr: str) -> None:
        items = value.get("items")
        if self.drafts[doc] >= 2020:
            prefix = value.get("prefixItems")
            if isinstance(prefix, list):
                node.item_schemas = [self.load(s, doc, f"{ptr}/prefixItems/{i}") for i, s in enumerate(prefix)]
            if isinstance(items, bool):
                node.permits_additional_items = items
            elif isinstance(items, dict):
                loaded = self.load(items, doc, ptr + "/items")
                if node.item_schemas is not None:
                    node.additional_items = loaded
                else:
                    node.all_items = loaded
        else:
            if isinstance(items, list):
                node.item_schemas = [self.load(s, doc, f"{ptr}/items/{i}") for i, s in enumerate(items)]
            elif isinstance(items, (dict, bool)):
                node.all_items = self.load(items, doc, ptr + "/items")
            extra = value.get("additionalItems")
            if isinstance(extra, bool):
                node.permits_additional_items = extra
            elif isinstance(extra, dict):
                node.additional_items = self.load(extra, doc, ptr + "/additionalItems")
        node.max_items = _int(value.get("maxItems"))
        node.min_items = _int(value.get("minItems"))
        node.unique_items = value.get("uniqueItems") is True
        node.max_contains = _int(value.get("maxContains"))
        node.min_contains = _int(value.get("minContains"))
        if "unevaluatedItems" in value:
            node.unevaluated_items = self.load(value["unevaluatedItems"], doc, ptr + "/unevaluatedItems")

    def _common(self, node: Node, value: dict[str, Any], doc: str) -> None:
        draft = self.drafts[doc]
        if draft < 2019:
            node.id = value.get("$id", value.get("id"))
        node.title = value.get("title")
        node.description = value.get("description")
        if "default" in value:
            node.default = value["default"]

    # ------------------------------------------------------------ references
    def resolve(self, ref: str, doc: str, ptr: str) -> tuple[str, str, Any]:
        """Find the target of ``ref`` written in ``doc``: (document, pointer, value)."""
        target = urljoin(self.base[doc], ref)
        uri, fragment = urldefrag(target)
        name = self.by_uri.get(uri)
        if name is None:
            name = self._bundled(uri)
        if name is None:
            name = self._guess_document(ref, uri)
        if name is None:
            known = ", ".join(sorted(n for n in self.docs if n)) or "none given"
            raise LoadError(f"cannot resolve $ref {ref!r}: no such schema (references: {known})", doc, ptr)
        document = self.docs[name]
        if not fragment:
            return name, "", document
        if fragment.startswith("/"):
            value = document
            tokens = [unquote(t).replace("~1", "/").replace("~0", "~") for t in fragment[1:].split("/")]
            for token in tokens:
                if isinstance(value, dict) and token in value:
                    value = value[token]
                elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
                    value = value[int(token)]
                else:
                    raise LoadError(f"cannot resolve $ref {ref!r}: {fragment!r} does not exist", doc, ptr)
            return name, "/" + "/".join(_escape(t) for t in tokens), value
        found = _find_anchor(document, fragment, "")
        if found is None:
            raise LoadError(f"cannot resolve $ref {ref!r}: no anchor {fragment!r}", doc, ptr)
        return name, found[0], found[1]

    def _bundled(self, uri: str) -> str | None:
        """The name of the bundled meta-schema ``uri`` names, loaded as one more document on first use."""
        canonical = metaschemas.bundled_uri(uri) if uri else None
        if canonical is None:
            return None
        if canonical not in self.docs:
            document = metaschemas.bundled(canonical)
            self.docs[canonical] = document
            self._register(canonical, document, canonical, draft_of(document, 7))
        self.by_uri[uri] = canonical
        return canonical

    def _guess_document(self, ref: str, uri: str) -> str | None:
        if not uri:
            return None
        tail = uri.rsplit("/", 1)[-1]
        for name in self.docs:
            if name and (name == ref.split("#", 1)[0] or name.rsplit("/", 1)[-1] == tail):
                return name
        return None


def _main_uri(references: Mapping[str, Any]) -> str:
    """Where the main document sits: deep enough that every ``../`` of a reference name stays distinct.

    Reference names are paths relative to the main document's folder; with the main
    document at the synthetic root, ``../a.json`` and ``a.json`` would be the same URI.
    """
    ups = 0
    for name in references:
        count = 0
        while name.startswith("../", count * 3):
            count += 1
        ups = max(ups, count)
    return SYNTHETIC_ROOT + "_/" * ups + "__local__.json"


def _combinator_edges(node: Node) -> list[Node]:
    """The nodes ``node`` stands for without a step into a property or an item."""
    if node.kind == "ref":
        return [node.referred] if node.referred is not None else []
    if node.kind == "combined":
        return list(node.subschemas or ())
    return []


def _find_anchor(value: Any, anchor: str, ptr: str) -> tuple[str, Any] | None:
    if isinstance(value, dict):
        if value.get("$anchor") == anchor or value.get("$id") == "#" + anchor or value.get("id") == "#" + anchor:
            return ptr, value
        for k, v in value.items():
            if k in ("enum", "const", "default", "examples"):
                continue
            hit = _find_anchor(v, anchor, f"{ptr}/{_escape(k)}")
            if hit is not None:
                return hit
    elif isinstance(value, list):
        for i, v in enumerate(value):
            hit = _find_anchor(v, anchor, f"{ptr}/{i}")
            if hit is not None:
                return hit
    return None


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _num(value: Any) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value
