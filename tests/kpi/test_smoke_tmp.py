from tests.kpi.conftest import API, create_contract, create_connection, MARCH

async def test_smoke(client, session):
    c = await create_connection(session)
    await create_contract(session)
    r = await client.get(API, params=MARCH)
    assert r.status_code == 200, r.text
    import json; print(json.dumps(r.json(), indent=1, ensure_ascii=False)[:6000])
    r = await client.get(API)
    assert r.status_code == 200, r.text
