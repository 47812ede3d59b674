"""A petition's attachment kept in an S3 bucket (moto's server over HTTP, tests/s3.py):
stored under the prefix, downloaded by a handler, and a clear 404 once it is gone."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def test_an_attachment_is_kept_in_the_bucket_and_its_loss_is_a_404_page(
    client, officer, reviewer, org, s3_bucket
):
    petition = PetitionFactory(
        organization=org, attachment=SimpleUploadedFile("a.pdf", PDF), actor=officer
    )
    attachment = petition.attachments.get()
    assert s3_bucket.object_keys() == [s3_bucket.key_of(attachment.file.name)]
    url = reverse("petitions:attachment", args=[org.code, petition.pk, attachment.pk])
    client.force_login(reviewer)
    assert client.get(url).status_code == 403  # the petitioner's papers: handlers only
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF

    s3_bucket.delete(s3_bucket.key_of(attachment.file.name))
    client.cookies["django_language"] = "mn"
    response = client.get(url)
    assert response.status_code == 404
    assert "Хавсралтын файл хадгалалтаас олдсонгүй" in response.content.decode()
    assert client.get(petition.get_absolute_url()).status_code == 200
