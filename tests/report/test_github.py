"""GitHub workflow commands (annotations) and the Markdown job summary."""

from __future__ import annotations

from pytest_schemafed.model import CheckResult, Finding, Level, Severity, Verdict
from pytest_schemafed.report.github import annotation_lines, escape_data, escape_property, step_summary


def test_escape_data__percent_cr_lf_encoded() -> None:
    """A message keeps ':' and ',' but encodes %, CR and LF as the runner expects."""
    assert escape_data("50%\r\nnext: a, b") == "50%25%0D%0Anext: a, b"


def test_escape_property__also_colon_and_comma() -> None:
    """A property value also encodes ':' and ','."""
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_annotation__one_error_per_finding_on_schema_line(results: list[CheckResult]) -> None:
    """The incompatible item gives one ::error at file, line and column with rule and registry as title."""
    lines = annotation_lines(results)
    finding = [line for line in lines if "READER_FIELD" in line]
    assert len(finding) == 1
    head, message = finding[0].split("::", 2)[1:]
    assert head == ("error file=schemas/user.avsc,line=7,col=5,endLine=7,endColumn=40,"
                    "title=READER_FIELD_MISSING_DEFAULT_VALUE (prod)")
    assert message.startswith("field `email` of record `User` was added without a default: 100%25 of old")
    assert "%0Ahint: add a \"default\" to the field" in message
    assert "\n" not in finding[0]


def test_annotation__error_item_points_at_parse_error_line(results: list[CheckResult]) -> None:
    """An unparseable file is annotated at the line of the parse error, titled as an error."""
    lines = [line for line in annotation_lines(results) if "broken.avsc" in line]
    assert lines == ["::error file=schemas/broken.avsc,line=3,title=schemafed error (git)::"
                     "schemas/broken.avsc:3: expected ',' or '}'"]


def test_annotation__compatible_and_new_items_are_silent(results: list[CheckResult]) -> None:
    """Only failures are annotated: two lines for the four items."""
    assert len(annotation_lines(results)) == 2


def test_annotation__prefix_places_file_in_workspace(results: list[CheckResult]) -> None:
    """With the rootdir in a subfolder of the workspace, annotation paths start with it."""
    assert annotation_lines(results, "services/api")[0].startswith("::error file=services/api/schemas/")


def test_step_summary__matrix_of_schema_by_registry(results: list[CheckResult]) -> None:
    """The table has one row per schema and one column per registry, with each outcome."""
    text = step_summary(results)
    assert text.startswith("## schemafed: 1 incompatible, 1 error, 1 compatible, 1 new\n")
    assert "| schema | prod | git |" in text
    assert "| `schemas/user.avsc` | ❌ incompatible | ✅ compatible |" in text
    assert "| `schemas/order.avsc` | 🆕 new | not checked |" in text
    assert "| `schemas/broken.avsc` | not checked | ⚠️ error |" in text


def test_step_summary__findings_of_each_failure(results: list[CheckResult]) -> None:
    """Below the matrix, each failure lists its findings with line, rule, path and version."""
    text = step_summary(results)
    assert "### ❌ `schemas/user.avsc` on prod" in text
    assert "subject `user-value` on `prod` (confluent prod), level BACKWARD, compared with version 3" in text
    assert "| 7:5 | `READER_FIELD_MISSING_DEFAULT_VALUE` | `/fields/2` | 3 backward |" in text
    assert "### ⚠️ `schemas/broken.avsc` on git" in text


def test_step_summary__pipe_in_message_does_not_break_table() -> None:
    """A '|' inside a message is escaped so the row keeps its five cells."""
    result = CheckResult("a.avsc::x", "a.avsc", "avro", "x", "a", "",
                         Verdict.judged((Finding("R", "a | b\nc", line=1),), Level.BACKWARD))
    row = next(line for line in step_summary([result]).splitlines() if line.startswith("| 1 |"))
    assert "a \\| b c" in row
    assert row.count(" | ") == 4


def test_step_summary__empty_run() -> None:
    """No schema item: one heading that says so."""
    assert step_summary([]) == "## schemafed: no schema checked\n\n"


def test_advisory__a_warning_annotation_on_a_passing_item() -> None:
    """An advisory never fails, but is annotated as ::warning (and counted in the summary)."""
    advisory = Finding("FIELD_REMOVED_WITHOUT_RESERVED", "field 3 `paid_at` removed without `reserved 3;`",
                       line=4, severity=Severity.WARNING)
    result = CheckResult("a.proto::git", "a.proto", "protobuf", "git", "a", "",
                         Verdict.judged((advisory,), Level.BACKWARD, ("HEAD",)))
    assert result.outcome == "compatible"
    (line,) = annotation_lines([result])
    assert line.startswith("::warning file=a.proto,line=4,title=FIELD_REMOVED_WITHOUT_RESERVED (git)::")
    assert step_summary([result]).startswith("## schemafed: 1 compatible, 1 warning\n")
