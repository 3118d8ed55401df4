"""Demo content: one live letter campaign, so `make run` shows the whole journey.

The congress app seeds its demo members first (INSTALLED_APPS order), so a supporter with a demo
ZIP code finds someone to write to."""

from core.demo import spanish_filled_in
from stories.demo import placeholder_image_filled_in

from .models import Campaign

DEMO_SLUG = "protect-children-seeking-safety"

# The campaign's page in Spanish, written for Spanish readers (not word for word). The letter to
# offices (subject_template, body_template) has no Spanish: offices get the English letter. The call
# script's Spanish is what the supporter's English lines mean; [your name] and [your town] are
# filled in as in the English.
SPANISH = {
    "title": "Protejamos a los niños que llegan solos",
    "summary": "Pida a sus congresistas que garanticen a cada niño no acompañado un abogado y un lugar seguro "
    "donde esperar su audiencia.",
    "ask": "Muchos niños que cruzan la frontera sin su mamá ni su papá llegan ante un juez de inmigración sin "
    "nadie a su lado. La mayoría huye de las pandillas, las amenazas o el maltrato en Honduras, El Salvador y "
    "Guatemala.\n\n"
    "Le pedimos al Congreso que pague un abogado para cada niño no acompañado, que no los tenga detenidos y que "
    "apoye programas que les permitan vivir seguros en su propio país.",
    "thank_you_text": "La oficina que recibe su carta la cuenta, una por una. Gracias por sumar la suya.",
    "share_text": "Acabo de pedirle al Congreso que proteja a los niños que llegan solos a la frontera. "
    "¿Se suma usted también?",
    "call_script": "Hola, me llamo [your name] y vivo en [your town]. Llamo para pedirle a su congresista que "
    "se asegure de que todo niño que llega solo tenga un abogado y un lugar seguro donde quedarse. Gracias.",
}

# Drawn like the demo stories' photos (stories/demo.py), and described as what they are.
IMAGE_ALT = "Demo placeholder illustration for the campaign “Protect children who arrive alone”."
IMAGE_ALT_ES = "Ilustración provisional de demostración para la campaña “Protejamos a los niños que llegan solos”."


def seed(*, stdout) -> None:
    # get_or_create: a second run changes nothing, and staff edits to the demo campaign survive.
    campaign, created = Campaign.objects.get_or_create(
        slug=DEMO_SLUG,
        defaults={
            "title": "Protect children who arrive alone",
            "summary": "Ask your members of Congress to guarantee every unaccompanied child a lawyer and a safe place "
            "to wait for their hearing.",
            "ask": "Children who cross the border without a parent often face an immigration judge with nobody "
            "beside them. Most are escaping gangs, threats or abuse in Honduras, El Salvador and Guatemala.\n\n"
            "We ask Congress to fund legal representation for every unaccompanied child, to keep children out of "
            "detention, and to support programs that let them live safely in their home countries.",
            "status": Campaign.Status.LIVE,
            "goal": 5000,
            "targets": Campaign.Targets.BOTH,
            "subject_template": "Please protect children who arrive at our border alone",
            "body_template": "Dear {member_title} {member_name},\n\n"
            "I am your constituent in {city}, and I am writing about the children who reach our border without "
            "a parent. Many of them have run from violence that their own governments cannot stop.\n\n"
            "No child should have to argue for their safety in court without a lawyer. Please support funding "
            "so that every unaccompanied child has legal help, is cared for outside detention, and is never sent "
            "back into danger.\n\n"
            "Thank you for standing up for these children.",
            "editing_policy": Campaign.EditingPolicy.NOTE,
            "min_length": 0,
            "max_length": 3000,
            "topic": "Immigration",
            "thank_you_text": "Every letter is counted by the office that receives it. Thank you for adding yours.",
            "share_text": "I just asked Congress to protect children who arrive at the border alone. Will you?",
            "call_script": "Hello, my name is [your name] and I live in [your town]. I am calling to ask the member "
            "to make sure every child who arrives alone has a lawyer and a safe place to stay. Thank you.",
        },
    )
    image = placeholder_image_filled_in(campaign, seed=3, name=DEMO_SLUG, alt_en=IMAGE_ALT, alt_es=IMAGE_ALT_ES)
    spanish = spanish_filled_in(campaign, SPANISH)
    if spanish or image:  # created just now, or seeded before the site spoke Spanish or had images
        campaign.save(update_fields=[*image, *spanish, "updated_at"])
    if created and campaign.story is None:
        # The stories app seeds first; link its newest published story, if any, beside the letter.
        from stories.models import Story

        campaign.story = Story.objects.published().order_by("-publish_at").first()
        if campaign.story is not None:
            campaign.save(update_fields=["story", "updated_at"])
    stdout.write(f"advocacy: demo campaign {'created' if created else 'already there'} at /act/{campaign.slug}/")
