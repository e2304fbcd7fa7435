"""Dana sends a photo of the broken charger: the file's content decides its type, size and type
limits give clear errors, and only she and staff who may see the chat can download it."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.livechat.chat_sockets import SHOP, start_session
from townsquare.inbox.models import Message
from townsquare.livechat.models import ChatAttachment

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200)
PDF = b"%PDF-1.7\n" + b"1 0 obj\n<<>>\nendobj\n" * 10
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(100)


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def upload(channel, token, content=PNG, name="charger.png", content_type="image/png", **fields):
    data = {
        "file": SimpleUploadedFile(name, content, content_type=content_type),
        "token": token,
        "client_id": "f-1",
    }
    data.update(fields)
    return Client().post(f"/livechat/{channel.pk}/upload", data, HTTP_ORIGIN=SHOP)


def test_an_image_becomes_a_chat_message_with_the_attachment(shop_chat, data_dir):
    token = start_session(shop_chat)["token"]
    response = upload(shop_chat, token, text="It does not charge")
    assert response.status_code == 201, response.content
    body = response.json()
    message = Message.objects.get()
    attachment = ChatAttachment.objects.get()
    assert body["id"] == message.pk
    assert body["attachment"] == {
        "id": attachment.pk,
        "name": "charger.png",
        "size": len(PNG),
        "content_type": "image/png",
        "url": f"/livechat/{shop_chat.pk}/attachments/{attachment.pk}",
    }
    assert message.text == "📎 charger.png\nIt does not charge"
    assert attachment.message_id == message.pk
    digest = hashlib.sha256(PNG).hexdigest()
    assert attachment.sha256 == digest
    assert attachment.path.startswith("uploads/livechat/") and attachment.path.endswith(digest)
    assert (data_dir / attachment.path).read_bytes() == PNG
    assert response["Access-Control-Allow-Origin"] == SHOP


def test_the_same_client_id_uploads_once(shop_chat):
    token = start_session(shop_chat)["token"]
    first = upload(shop_chat, token)
    again = upload(shop_chat, token)
    assert again.status_code == 200 and again.json() == first.json()
    assert ChatAttachment.objects.count() == 1 and Message.objects.count() == 1


def test_a_file_over_the_channel_limit_is_413(shop_chat):
    shop_chat.settings = {**shop_chat.settings, "max_upload_bytes": 100}
    shop_chat.save()
    response = upload(shop_chat, start_session(shop_chat)["token"])
    assert response.status_code == 413
    assert response.json() == {"error": "the file is over the 100 bytes limit"}
    assert not Message.objects.exists()


def test_the_limit_is_named_in_the_unit_it_is_set_in(shop_chat):
    shop_chat.settings = {**shop_chat.settings, "max_upload_bytes": 2048}
    shop_chat.save()
    response = upload(shop_chat, start_session(shop_chat)["token"], content=PNG + bytes(4000))
    assert response.json() == {"error": "the file is over the 2 KB limit"}


def test_a_file_over_the_server_limit_is_413_before_it_is_read(shop_chat, settings):
    settings.LIVECHAT_MAX_UPLOAD_BYTES = 1024
    response = upload(shop_chat, start_session(shop_chat)["token"], content=PNG + bytes(200_000))
    assert response.status_code == 413


def test_a_program_is_415_whatever_it_is_called(shop_chat):
    response = upload(shop_chat, start_session(shop_chat)["token"], content=EXE, name="photo.png")
    assert response.status_code == 415
    assert response.json() == {"error": "this kind of file is not accepted here"}


def test_a_type_the_channel_does_not_take_is_415(shop_chat):
    shop_chat.settings = {**shop_chat.settings, "upload_types": ["png"]}
    shop_chat.save()
    token = start_session(shop_chat)["token"]
    assert (
        upload(shop_chat, token, content=PDF, name="invoice.pdf", content_type="application/pdf").status_code
        == 415
    )
    assert upload(shop_chat, token, content=b"plain words", name="notes.png").status_code == 415


def test_content_decides_the_type_not_the_declared_one(shop_chat):
    token = start_session(shop_chat)["token"]
    response = upload(shop_chat, token, content=PDF, name="invoice.png", content_type="image/png")
    assert response.status_code == 201
    assert response.json()["attachment"]["content_type"] == "application/pdf"


def test_a_bad_token_is_401_and_a_missing_file_400(shop_chat):
    assert upload(shop_chat, "nonsense").status_code == 401
    token = start_session(shop_chat)["token"]
    response = Client().post(f"/livechat/{shop_chat.pk}/upload", {"token": token, "client_id": "f-1"})
    assert response.status_code == 400
    assert upload(shop_chat, token, client_id="bad id").status_code == 400


def test_too_many_uploads_are_429(shop_chat, settings):
    settings.LIVECHAT_UPLOADS_PER_SESSION_HOUR = 1
    token = start_session(shop_chat)["token"]
    assert upload(shop_chat, token).status_code == 201
    response = upload(shop_chat, token, client_id="f-2")
    assert response.status_code == 429 and "Retry-After" in response


def test_the_visitor_downloads_her_file_as_an_attachment(shop_chat):
    token = start_session(shop_chat)["token"]
    url = upload(shop_chat, token, name="<script>.png").json()["attachment"]["url"]
    response = Client().get(url, {"token": token})
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_another_visitor_and_strangers_cannot_download_it(shop_chat):
    url = upload(shop_chat, start_session(shop_chat)["token"]).json()["attachment"]["url"]
    other_token = start_session(shop_chat)["token"]
    assert Client().get(url, {"token": other_token}).status_code == 404
    assert Client().get(url).status_code == 404
    assert Client().get(url, {"token": "forged"}).status_code == 404


def test_staff_who_see_the_chat_download_it_and_an_ambassador_does_not(shop_chat, alice, bob):
    url = upload(shop_chat, start_session(shop_chat)["token"]).json()["attachment"]["url"]
    agent, ambassador = Client(), Client()
    agent.force_login(alice)
    ambassador.force_login(bob)
    assert agent.get(url).status_code == 200
    assert ambassador.get(url).status_code == 404


def test_a_body_that_is_not_multipart_is_400_with_a_reason(shop_chat):
    response = Client().post(
        f"/livechat/{shop_chat.pk}/upload", b"abc", content_type="multipart/form-data", HTTP_ORIGIN=SHOP
    )
    assert response.status_code == 400
    assert response.json() == {"error": "send the file as multipart/form-data"}
