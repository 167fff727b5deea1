"""The clinic pages' forms; every one carries a CSRF token (Flask-WTF)."""
from __future__ import annotations

from wtforms import BooleanField, DateField, EmailField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp

from pro_service.clinic.texts import pick
from pro_service.goals.models import MAX_TEXT
from pro_service.i18n import LOCALES, _l
from pro_service.plain_text import PlainTextForm
from pro_service.instruments.models import Instrument
from pro_service.letters.models import LetterLanguage
from pro_service.pathways.contact import EMAIL_MAX, EMAIL_PATTERN, PHONE_MAX, PHONE_PATTERN
from pro_service.pathways.models import AdministrativeSex, CareSetting, RespondentRole


class ActionForm(PlainTextForm):
    """A button that changes something (resend, print, cancel): only the CSRF token."""


class MilestoneForm(PlainTextForm):
    milestone = SelectField(_l("Milestone"), validators=[DataRequired(_l("Choose a milestone."))])
    occurred_on = DateField(_l("Date"), validators=[DataRequired(_l("Enter the date as YYYY-MM-DD."))])


class ContactForm(PlainTextForm):
    """How a respondent (or the patient) is reached, and in which language they are invited."""

    # validate_choice=False so an unknown locale code gets AnyOf's translated message, not WTForms' generic one.
    language = SelectField(_l("Language"), validate_choice=False,
                           choices=[SelectChoice(code, name) for code, name in LOCALES.items()],
                           validators=[AnyOf(list(LOCALES), message=_l("Choose a language from the list."))])
    # The outbox's own rule (pathways/contact.py): no line break or space in an address, digits in a number.
    email = EmailField(_l("Email address (optional)"),
                       validators=[Optional(), Length(max=EMAIL_MAX),
                                   Regexp(EMAIL_PATTERN, message=_l("Enter a valid email address."))])
    phone = StringField(_l("Mobile phone (optional)"), validators=[
        Optional(), Length(max=PHONE_MAX),
        Regexp(PHONE_PATTERN, message=_l("Enter a mobile number in digits, e.g. +47 912 34 567."))])


class RespondentForm(ContactForm):
    role = SelectField(_l("Role"), choices=[
        SelectChoice(RespondentRole.PARENT.value, _l("Parent or guardian")),
        SelectChoice(RespondentRole.OTHER_RELATIVE.value, _l("Other relative")),
        SelectChoice(RespondentRole.TEACHER.value, _l("Teacher")),
    ])
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the respondent's name.")), Length(max=200)])


class ContactDetailsForm(ContactForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the respondent's name.")), Length(max=200)])


def _sex_field() -> SelectField:
    """Administrative sex as FHIR codes it; only female and male choose another caseness cut-off."""
    return SelectField(_l("Sex (optional)"), default="", choices=[
        SelectChoice("", _l("Not recorded")),
        SelectChoice(AdministrativeSex.FEMALE.value, _l("Female")),
        SelectChoice(AdministrativeSex.MALE.value, _l("Male")),
        SelectChoice(AdministrativeSex.OTHER.value, _l("Other")),
        SelectChoice(AdministrativeSex.UNKNOWN.value, _l("Unknown")),
    ])


class PatientContactDetailsForm(ContactDetailsForm):
    """The patient's own details: contact, and the administrative sex scoring uses."""

    sex = _sex_field()


def care_setting_field() -> SelectField:
    """Where the patient is treated: an inpatient unit is held to a package's inpatient time limit, if it has one."""
    return SelectField(_l("Where the patient is treated"), default=CareSetting.OUTPATIENT.value, choices=[
        SelectChoice(CareSetting.OUTPATIENT.value, _l("Outpatient clinic")),
        SelectChoice(CareSetting.INPATIENT.value, _l("Inpatient unit")),
    ])


class CareSettingForm(PlainTextForm):
    care_setting = care_setting_field()


class NewPathwayForm(ContactForm):
    """Register a patient (or find them by record number) and start a pathway, for units without an EPR link."""

    unit = SelectField(_l("Unit"))
    external_id = StringField(_l("Record number in the EPR"), validators=[
        DataRequired(_l("Enter the patient's record number.")), Length(max=100)])
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the patient's name.")), Length(max=200)])
    birth_date = DateField(_l("Date of birth"), validators=[DataRequired(_l("Enter the date as YYYY-MM-DD."))])
    sex = _sex_field()
    package = SelectField(_l("Package"), validators=[DataRequired(_l("Choose a package."))])
    started_on = DateField(_l("Start date"), validators=[DataRequired(_l("Enter the date as YYYY-MM-DD."))])
    care_setting = care_setting_field()
    responsible_clinician = StringField(_l("Responsible clinician (optional)"),
                                        validators=[Optional(), Length(max=200)])


class AcknowledgeForm(PlainTextForm):
    note = TextAreaField(_l("Note (what was done)"),
                         validators=[DataRequired(_l("Write a short note on what was done.")), Length(max=500)])


class GeneralPractitionerForm(PlainTextForm):
    """The patient's GP, who receives the letters; a letter is written in nb, nn, da or en only."""

    name = StringField(_l("GP's name"), validators=[DataRequired(_l("Enter the GP's name.")), Length(max=200)])
    practice = StringField(_l("Practice"), validators=[DataRequired(_l("Enter the GP's practice.")), Length(max=200)])
    # validate_choice=False so a tampered value gets AnyOf's plain message, not WTForms' generic one.
    language = SelectField(_l("Language of the letters"), validate_choice=False, choices=[
        SelectChoice(language.value, LOCALES[language.value]) for language in LetterLanguage],
        validators=[AnyOf([language.value for language in LetterLanguage],
                          message=_l("Choose the language the GP reads: bokmål, nynorsk, Danish or English."))])
    address = StringField(_l("Address (optional)"), validators=[Optional(), Length(max=300)])

    def __init__(self, *args, **kwargs):
        # Shares the pathway page with the respondent form: "gp-name", not a second "name" id.
        super().__init__(*args, prefix="gp", **kwargs)


class LetterNoteForm(PlainTextForm):
    note = TextAreaField(_l("Note to the GP"), validators=[Length(max=4000, message=_l(
        "The note can be at most %(max)d characters long."))])


class FinalizeForm(LetterNoteForm):
    """Finalizing (or correcting) is permanent: the app, not only the browser, asks for a tick first."""

    confirm = BooleanField(_l("I have read the preview. Finalize it now; a finalized letter cannot be changed."),
                           validators=[DataRequired(_l("Tick the box to confirm before the letter is finalized."))])


class PaperForm(PlainTextForm):
    """A paper questionnaire typed in; one select per item is added by `paper_form`."""

    language = SelectField(_l("Language of the paper form"))


def item_field(number: int) -> str:
    return f"item_{number}"


def paper_form(instrument: Instrument, labels_language: str, not_answered: str, **kwargs) -> PaperForm:
    """The form for one instrument; option labels in the clinician's language, every item optional here."""

    class Paper(PaperForm):
        pass

    for item in instrument.items:
        options = instrument.response_scale(item).options or ()
        choices = [SelectChoice("", not_answered)] + [
            SelectChoice(str(position), f"{option.points} – {pick(option.label, labels_language)}")
            for position, option in enumerate(options)]
        setattr(Paper, item_field(item.number), SelectField(
            f"{item.number}. {pick(item.text, labels_language)}", choices=choices, validators=[Optional()]))
    form = Paper(**kwargs)
    form.language.choices = [SelectChoice(code, LOCALES.get(code, code)) for code in instrument.languages]
    return form


def paper_answers(form: PaperForm, instrument: Instrument) -> dict[int, int | None]:
    answers = {}
    for item in instrument.items:
        value = form[item_field(item.number)].data
        answers[item.number] = int(value) if value not in (None, "", "None") else None
    return answers


class GoalWordingForm(PlainTextForm):
    """A goal's new wording, agreed with the patient in the room; the operation checks the box again."""

    text = TextAreaField(_l("The goal's new wording"), validators=[
        DataRequired(_l("Write the goal's new wording.")),
        Length(max=MAX_TEXT, message=_l("A goal can be at most %(max)d characters long."))])
    patient_present = BooleanField(_l("The patient is present and agrees with the new wording"))
