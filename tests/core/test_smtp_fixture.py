from django.core.mail import send_mail


def test_mail_reaches_the_local_smtp_server(smtp_server):
    send_mail("Subject line", "Body text", "from@camino.example.org", ["to@example.org"])
    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received["to"] == ["to@example.org"]
    assert received["message"]["Subject"] == "Subject line"
