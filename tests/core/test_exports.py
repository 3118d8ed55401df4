import csv
import io

from core.exports import csv_response


def test_csv_response_streams_rows_and_neutralises_formulas():
    rows = iter([(1, "Ana", "=HYPERLINK(\"http://x\")"), (2, "Luis", "plain")])
    response = csv_response("people.csv", ["id", "name", "note"], rows)
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="people.csv"'
    text = b"".join(response.streaming_content).decode()
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0] == ["id", "name", "note"]
    assert parsed[1] == ["1", "Ana", "'=HYPERLINK(\"http://x\")"]
    assert parsed[2] == ["2", "Luis", "plain"]
