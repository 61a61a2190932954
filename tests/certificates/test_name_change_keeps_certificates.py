"""An approved name change (organizations.profile) never rewrites an issued certificate: its
names, snapshot, signed credential and stored PDF stay as issued, and a certificate still
waiting for its PDF is rendered with the names it was issued with."""

import json

from django.urls import reverse

from certificates import rendering
from certificates.credential import credential_of
from certificates.models import Certificate
from organizations import profile as profiles
from organizations.models import Profile
from tests import factories

NEW_NATIVE, NEW_LATIN = "张伟明", "Zhang Weiming"


def approve_new_name(student, school) -> None:
    registrar = factories.person("registrar-names", school, "admin")
    change = profiles.request_name_change(
        student, name_native=NEW_NATIVE, name_latin=NEW_LATIN, reason="Registry change"
    )
    profiles.decide(registrar, change.pk, approve=True)
    profile = Profile.objects.get(user=student)
    assert (profile.name_native, profile.name_latin) == (NEW_NATIVE, NEW_LATIN)


def test_a_certificate_holder_cannot_edit_names_directly(make_certificate):
    trainee = factories.person("lone", None, None, name_native="王芳", name_latin="Wang Fang")
    assert profiles.may_edit_names(trainee)
    make_certificate(holder=trainee)
    assert not profiles.may_edit_names(trainee)


def test_an_approved_change_leaves_an_issued_certificate_as_issued(
    client, student, school, pdf_certificate
):
    before = Certificate.objects.get(pk=pdf_certificate.pk)
    approve_new_name(student, school)

    after = Certificate.objects.get(pk=pdf_certificate.pk)
    assert (after.holder_name_native, after.holder_name_latin) == ("张伟", "Zhang Wei")
    assert after.snapshot == before.snapshot
    assert after.credential_jwt == before.credential_jwt
    assert after.pdf_sha256 == before.pdf_sha256

    client.force_login(student)
    pdf = client.get(reverse("certificates:download_pdf", args=[after.serial]))
    assert b"".join(pdf.streaming_content) == pdf_certificate.pdf_bytes
    credential = json.dumps(credential_of(after.credential_jwt), ensure_ascii=False)
    assert "Zhang Wei" in credential
    assert NEW_LATIN not in credential and NEW_NATIVE not in credential


def test_a_certificate_rendered_after_the_change_prints_the_issued_names(
    student, school, make_certificate
):
    certificate = make_certificate()
    assert certificate.render_state == Certificate.RenderState.PENDING
    approve_new_name(student, school)

    rendered = rendering.certificate_render(certificate_id=certificate.pk)
    assert rendered.render_state == Certificate.RenderState.DONE
    credential = json.dumps(credential_of(rendered.credential_jwt), ensure_ascii=False)
    assert "Zhang Wei" in credential
    assert NEW_LATIN not in credential and NEW_NATIVE not in credential
