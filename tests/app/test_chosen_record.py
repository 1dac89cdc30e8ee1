"""chosen_record(): the list the learning pages pick a record with (or a new one), run as a small script."""

from streamlit.testing.v1 import AppTest

RECORDS = {7: "Cycling mums", 3: "Young carers", 12: "Walking football"}


def picker():
    """A script that picks from the records in session state and says what it got."""
    import streamlit as st

    from strategy.ui.records import chosen_record, remember_saved

    chosen = chosen_record("Record", st.session_state["records"], "➕ A new record", key="record_choice")
    st.markdown(f"chosen: {chosen}")
    if st.button("Save") and st.session_state.get("save_as") is not None:
        remember_saved("record_choice", st.session_state["save_as"])
        st.rerun()


def run(records: dict, **state) -> AppTest:
    app = AppTest.from_function(picker)
    app.session_state["records"] = records
    for key, value in state.items():
        app.session_state[key] = value
    return app.run()


def said(app: AppTest) -> str:
    return [m.value for m in app.markdown if m.value.startswith("chosen:")][0]


def test_the_list_opens_on_the_first_record_after_the_new_option():
    app = run(RECORDS)
    box = app.selectbox(key="record_choice")
    first = next(iter(RECORDS))
    assert box.options == ["➕ A new record", *RECORDS.values()]
    assert box.value == first and said(app) == f"chosen: {first}"


def test_with_no_records_the_new_option_is_chosen_and_gives_none():
    app = run({})
    assert app.selectbox(key="record_choice").options == ["➕ A new record"]
    assert said(app) == "chosen: None"


def test_choosing_the_new_option_gives_none_and_a_record_gives_its_id():
    app = run(RECORDS)
    app.selectbox(key="record_choice").set_value(0).run()  # the new option's value
    assert said(app) == "chosen: None"
    app.selectbox(key="record_choice").set_value(12).run()
    assert said(app) == "chosen: 12"


def test_a_record_just_saved_is_chosen_next_time():
    app = run(RECORDS, save_as=3)
    app.button[0].click().run()
    assert said(app) == "chosen: 3" and not app.info


def test_a_saved_record_the_list_leaves_out_is_said_so_and_the_first_is_shown():
    app = run(RECORDS, save_as=99)
    app.button[0].click().run()
    assert app.info and "does not match the sidebar filters" in app.info[0].value
    assert said(app) == f"chosen: {next(iter(RECORDS))}"
