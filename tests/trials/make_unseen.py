"""Re-writes the demo municipality in layouts shnor has never been shown: FIS OKO
'Статистика по отметкам' for ВПР, a РЦОИ two-row ОГЭ workbook, long ЕГЭ csv (utf-8, ','),
a protocol keyed by school name, a wide two-row contingent per year, passports headed the
way the issue reports, a registry with a title and separate login / РЦОИ code columns.
No shnor.toml. The numbers are the demo's, so identify must give the demo's schools.csv."""
import csv, glob, os, re, sys, tomllib, collections
import openpyxl
from openpyxl.styles import Alignment

DEMO = sys.argv[2] if len(sys.argv) > 2 else 'examples/demo'
OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)

def rows(path):
    ws = openpyxl.load_workbook(path, read_only=True).worksheets
    return {w.title: [list(r) for r in w.iter_rows(values_only=True)] for w in ws}

reg = rows(f'{DEMO}/реестр.xlsx')['Реестр']
hdr, reg = reg[0], reg[1:]
schools = []
for r in reg:
    login, rcoi = [a.strip() for a in r[6].split(';')]
    schools.append(dict(code=r[0], name=r[1], mun=r[2], settle=r[3], level=r[4], students=int(r[5]),
                        login=login, rcoi=rcoi, coord=r[7], phone=r[8]))
by_login = {s['login']: s for s in schools}
by_code = {s['code']: s for s in schools}
by_rcoi = {s['rcoi']: s for s in schools}

# 1. Registry: title, №, name first, login and РЦОИ code in their own columns, ИНН.
wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'ОО'
ws.append(['Реестр общеобразовательных организаций на 01.09.2025'])
ws.append([])
ws.append(['№ п/п', 'Полное наименование ОО', 'Код ОО', 'Логин ФИС ОКО', 'Код ОО (РЦОИ)', 'ИНН',
           'Муниципальное образование', 'Тип местности', 'Вид ОО', 'Численность обучающихся, чел.',
           'Ответственный', 'Телефон'])
for i, s in enumerate(schools, 1):
    ws.append([i, s['name'], s['code'], s['login'], s['rcoi'], str(2200000000 + i * 7919),
               s['mun'], s['settle'], s['level'], s['students'], s['coord'], s['phone']])
wb.save(f'{OUT}/Реестр ОО 2025.xlsx')

# 2. ВПР: FIS OKO «Статистика по отметкам», marks as % of participants.
marks = tomllib.load(open(f'{DEMO}/shnor.toml', 'rb'))['marks']
def mark(subj, grade, score):
    m = next(m for m in marks if m['subject'] == subj and m['grade'] == grade)
    return 2 + sum(score >= b for b in m['min_score'])
for path in sorted(glob.glob(f'{DEMO}/Проведение работы*ВПР*.xlsx')):
    base = os.path.basename(path)
    subj = 'Математика' if 'математике' in base else 'Русский язык'
    grade = int(re.search(r'(\d+) класс', base).group(1))
    year = int(re.search(r'ВПР (\d{4})', base).group(1))
    data = list(rows(path).values())[0]
    h = data[0]; iL = h.index('логин школы'); iS = h.index('всего баллов'); iV = h.index('вариант')
    cnt = collections.OrderedDict()
    for r in data[1:]:
        sc = r[iS]
        if sc in (None, '', 'X') or r[iV] == 'отсутствовал':
            continue
        c = cnt.setdefault(r[iL], [0, 0, 0, 0, 0])
        c[0] += 1; c[mark(subj, grade, float(sc)) - 1] += 1
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'Статистика по отметкам'
    ws.append([f'Всероссийские проверочные работы {year} ({grade} класс)'])
    ws.append([f'Дата: 18.04.{year}'])
    ws.append([f'Предмет: {subj}'])
    ws.append(['Статистика по отметкам'])
    ws.append(['Максимальный первичный балл: 20'])
    ws.append([])
    ws.append(['Группы участников', 'Кол-во ОО', 'Кол-во участников', 'Распределение групп баллов в %'])
    ws.merge_cells(start_row=7, start_column=4, end_row=7, end_column=7)
    ws.append([None, None, None, '2', '3', '4', '5'])
    for c in 'ABC':
        ws.merge_cells(f'{c}7:{c}8')
    tot = [sum(v[i] for v in cnt.values()) for i in range(5)]
    def pct(c):
        return [round(100 * c[i] / c[0], 2) for i in range(1, 5)]
    ws.append(['Вся выборка', 38211, 1403322, 11.2, 38.9, 36.4, 13.5])
    ws.append(['Энская область', 731, 21904, 12.01, 40.2, 35.1, 12.69])
    ws.append([schools[0]['mun'], len(cnt), tot[0]] + pct(tot))
    for login, c in cnt.items():
        ws.append([f"({login}) {by_login[login]['name']}", 1, c[0]] + pct(c))
    wb.save(f'{OUT}/ВПР {year} {subj} {grade} кл. Статистика по отметкам.xlsx')

# 3. ОГЭ: one workbook a year, a sheet per subject, two-row header with merged «Получили отметку».
for year in range(2021, 2026):
    wb = openpyxl.Workbook(); wb.remove(wb.active)
    for subj in ['Русский язык', 'Математика']:
        src = f'{DEMO}/ОГЭ {year} {subj}.csv'
        lines = list(csv.reader(open(src, encoding='cp1251'), delimiter=';'))
        data = lines[2:]
        ws = wb.create_sheet(subj)
        ws.append([f'Результаты ГИА-9 (ОГЭ) по предмету «{subj}» в {year} году по ОО'])
        ws.append(['№ п/п', 'Код ОО', 'Наименование ОО', 'Всего участников', 'Получили отметку', None, None, None,
                   'Средний первичный балл', 'Средняя оценка', 'Успеваемость, %', 'Качество знаний, %'])
        ws.append([None, None, None, None, '«2»', '«3»', '«4»', '«5»'])
        for c in 'ABCDIJKL':
            ws.merge_cells(f'{c}2:{c}3')
        ws.merge_cells('E2:H2')
        sums = [0] * 5
        for i, r in enumerate(data, 1):
            code, name, n, ms, mm, n2, n3, n4, n5 = r
            n, n2, n3, n4, n5 = map(int, (n, n2, n3, n4, n5))
            for k, v in enumerate((n, n2, n3, n4, n5)): sums[k] += v
            ws.append([i, by_rcoi[code]['rcoi'], name, n, n2, n3, n4, n5, float(ms.replace(',', '.')),
                       float(mm.replace(',', '.')), round(100 * (n - n2) / n, 1), round(100 * (n4 + n5) / n, 1)])
        ws.append([None, None, 'Итого по муниципалитету'] + sums + [None, None, None, None])
    wb.save(f'{OUT}/ГИА-9 {year} результаты по ОО.xlsx')

# 4. ЕГЭ: one long csv, utf-8, ',' — year and subject per row, failing count worded as in РЦОИ analytics.
with open(f'{OUT}/ЕГЭ 2021-2025 по школам.csv', 'w', encoding='utf-8', newline='') as f:
    w = csv.writer(f)
    w.writerow(['Год', 'Предмет', 'Код ОО', 'Наименование ОО', 'Количество участников',
                'Средний тестовый балл', 'Не преодолели минимального порогового значения'])
    for year in range(2021, 2026):
        for sheet, data in rows(f'{DEMO}/ЕГЭ {year}.xlsx').items():
            hi = next(i for i, r in enumerate(data) if r[0] == 'Код ОО')
            for r in data[hi + 1:]:
                if r[0] is None: continue
                w.writerow([year, sheet, r[0], r[1], int(r[2]), r[3], int(r[4])])

# 5. ВсОШ: protocols keyed by school NAME, «Шифр», «Результат», «Тип диплома».
for path in sorted(glob.glob(f'{DEMO}/Протокол МЭ ВсОШ *.xlsx')):
    data = list(rows(path).values())[0]
    title = data[0][0]
    hi = next(i for i, r in enumerate(data) if r[0] == 'Код ОО')
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'Протокол'
    ws.append([title]); ws.append([])
    ws.append(['№', 'Шифр', 'Образовательная организация', 'Класс обучения', 'Предмет', 'Итоговый балл', 'Тип диплома'])
    for i, r in enumerate(data[hi + 1:], 1):
        if r[0] is None: continue
        st = {'участник': 'Участник', 'призёр': 'Призёр', 'победитель': 'Победитель'}.get(r[5], r[5])
        ws.append([i, r[1], by_code[r[0]]['name'], int(r[2]), r[3], r[4], st])
    wb.save(f'{OUT}/' + os.path.basename(path).replace('Протокол', 'Итоговый протокол'))

# 6. Contingent: one workbook a year, wide, two-row header with grades under a merged parent, no year column.
data = list(rows(f'{DEMO}/контингент.xlsx').values())[0]
h = data[0]
for year in sorted({int(r[0]) for r in data[1:]}):
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'Контингент'
    ws.append([f'Численность обучающихся по классам на 20 сентября {year - 1} г.' if False else
               f'Численность обучающихся по классам, {year - 1}/{str(year)[2:]} учебный год'])
    ws.append(['Наименование ОО', 'Код ОО', 'Классы'] + [None] * 10 + ['Всего'])
    ws.append([None, None] + [str(g) for g in range(1, 12)] + [None])
    ws.merge_cells('C2:M2'); ws.merge_cells('A2:A3'); ws.merge_cells('B2:B3'); ws.merge_cells('N2:N3')
    for r in data[1:]:
        if int(r[0]) != year: continue
        g = [int(v or 0) for v in r[2:13]]
        ws.append([by_code[r[1]]['name'], r[1]] + g + [sum(g)])
    wb.save(f'{OUT}/Контингент {year - 1}-{year}.xlsx')

# 7. Passports: headed «Обучающихся всего», sub-groups under «из них».
for path in sorted(glob.glob(f'{DEMO}/Социальный паспорт *.xlsx')):
    data = list(rows(path).values())[0]
    h = data[0]
    year = int(data[1][0])
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'Соцпаспорт'
    ws.append([f'Социальный паспорт образовательных организаций, {year - 1}/{year} уч. год'])
    names = ['Код ОО', 'Обучающихся всего'] + [f'{x[0].upper()}{x[1:]}' for x in h[3:]]
    ws.append(names)
    for r in data[1:]:
        ws.append([r[1]] + [int(v) if isinstance(v, float) else v for v in r[2:]])
    wb.save(f'{OUT}/Соцпаспорт ОО {year - 1}-{year}.xlsx')
print('written', len(os.listdir(OUT)), 'files to', OUT)
