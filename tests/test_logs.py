import logging

from pro_service.logs import RedactTokens


def test_invitation_tokens_are_redacted_from_request_logs(caplog):
    logger = logging.getLogger("werkzeug.test")
    logger.addFilter(RedactTokens())

    with caplog.at_level(logging.INFO, logger="werkzeug.test"):
        logger.info('127.0.0.1 - - "GET %s HTTP/1.1" 302 -', "/i/Q2xhc3NpZmllZC10b2tlbg?x=1")

    assert "Q2xhc3NpZmllZC10b2tlbg" not in caplog.text
    assert "/i/[redacted]" in caplog.text
