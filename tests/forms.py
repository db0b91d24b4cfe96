"""What a browser sends back for the forms of a page, as the test client must post it."""


def as_sent(form):
    """What a browser sends back for this form as shown."""
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = "on" if value is True else value
    return data


def signatories_page_data(response):
    data = {}
    for _signatory, form, people in response.context["parties"]:
        data |= as_sent(form) | as_sent(people.management_form)
        for person in people:
            data |= as_sent(person)
    return data


def people_of(response, signatory):
    return next(people for party, _form, people in response.context["parties"] if party == signatory)
