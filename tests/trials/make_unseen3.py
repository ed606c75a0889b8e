"""Third unseen layout, a region of three municipalities (shnor demo --seed 5 --schools 120):
a cp1251 ',' registry with municipality section rows and no municipality column; ФИС ОКО
statistics as BIFF .xls with the year only in the title; ОГЭ wide by subject with subtotal rows
after each municipality; ЕГЭ in «Итоги ЕГЭ-25.xlsx»; contingent «Число обучающихся в N классе»
with an «Учебный год» column; passports keyed by name within a municipality column;
olympiad protocols with ФИО and short school names, stage in the sheet name."""
import csv, glob, os, re, sys, tomllib, collections
import openpyxl, xlwt

DEMO = sys.argv[2]
OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)

def rows(path):
    ws = openpyxl.load_workbook(path, read_only=True).worksheets
    return {w.title: [list(r) for r in w.iter_rows(values_only=True)] for w in ws}

reg = rows(f'{DEMO}/реестр.xlsx')['Реестр'][1:]
schools = []
for r in reg:
    login, rcoi = [a.strip() for a in r[6].split(';')]
    schools.append(dict(code=r[0], name=r[1], mun=r[2], settle=r[3], level=r[4], students=int(r[5]), login=login, rcoi=rcoi))
by_login = {s['login']: s for s in schools}
by_code = {s['code']: s for s in schools}
by_rcoi = {s['rcoi']: s for s in schools}
muns = []
for s in schools:
    if s['mun'] not in muns: muns.append(s['mun'])

# Registry: cp1251, ',', quoted, municipality as section rows.
with open(f'{OUT}/Реестр ОО региона.csv', 'w', encoding='cp1251', newline='') as f:
    w = csv.writer(f, delimiter=',', quoting=csv.QUOTE_ALL)
    w.writerow(['Код ОО', 'Наименование ОО', 'Логин ОО', 'Код РЦОИ', 'Тип поселения', 'Вид ОО', 'Всего обучающихся'])
    for m in muns:
        w.writerow([m, '', '', '', '', '', ''])
        for s in schools:
            if s['mun'] == m:
                w.writerow([s['code'], s['name'], s['login'], s['rcoi'], s['settle'], s['level'], s['students']])

# ВПР: ФИС ОКО statistics, BIFF .xls, year only in the title.
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
        if sc in (None, '', 'X') or r[iV] == 'отсутствовал': continue
        c = cnt.setdefault(r[iL], [0, 0, 0, 0, 0]); c[0] += 1; c[mark(subj, grade, float(sc)) - 1] += 1
    wb = xlwt.Workbook(); ws = wb.add_sheet('Лист1')
    for i, t in enumerate([f'Всероссийские проверочные работы {year} ({grade} класс)', f'Дата: 20.04.{year}',
                           f'Предмет: {subj}', 'Статистика по отметкам', 'Максимальный первичный балл: 20']):
        ws.write(i, 0, t)
    ws.write_merge(6, 7, 0, 0, 'Группы участников'); ws.write_merge(6, 7, 1, 1, 'Кол-во ОО')
    ws.write_merge(6, 7, 2, 2, 'Кол-во участников'); ws.write_merge(6, 6, 3, 6, 'Распределение групп баллов в %')
    for j, d in enumerate(['2', '3', '4', '5']): ws.write(7, 3 + j, d)
    pct = lambda c: [round(100 * c[i] / c[0], 2) for i in range(1, 5)]
    out = [['Вся выборка', 37000, 1400000, 11.2, 38.9, 36.4, 13.5]]
    tot = [sum(v[i] for v in cnt.values()) for i in range(5)]
    out.append(['Энская область', len(cnt), tot[0]] + pct(tot))
    for m in muns:
        sub = [(l, c) for l, c in cnt.items() if by_login[l]['mun'] == m]
        st = [sum(c[i] for _, c in sub) for i in range(5)]
        out.append([m, len(sub), st[0]] + pct(st))
        for l, c in sub:
            out.append([f"({l}) {by_login[l]['name']}", 1, c[0]] + pct(c))
    for i, r in enumerate(out):
        for j, v in enumerate(r): ws.write(8 + i, j, v)
    wb.save(f'{OUT}/Статистика по отметкам ({subj}, {grade} класс) {year}.xls' if False else f'{OUT}/ВПР {grade} кл {subj} {year - 1}-{str(year)[2:]}.xls')

# ОГЭ: wide by subject (merged subject header), subtotal rows after each municipality.
for year in range(2021, 2026):
    data = {}
    for subj in ['Русский язык', 'Математика']:
        for r in list(csv.reader(open(f'{DEMO}/ОГЭ {year} {subj}.csv', encoding='cp1251'), delimiter=';'))[2:]:
            data.setdefault(r[0], {})[subj] = r
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = f'ОГЭ {year}'
    ws.append([f'Результаты ОГЭ {year} года по образовательным организациям'])
    ws.append(['Код', 'Образовательная организация', 'Русский язык'] + [None] * 6 + ['Математика'] + [None] * 6)
    sub = ['Участников', '«2»', '«3»', '«4»', '«5»', 'Средний балл', 'Средняя отметка']
    ws.append([None, None] + sub + sub)
    ws.merge_cells('C2:I2'); ws.merge_cells('J2:P2'); ws.merge_cells('A2:A3'); ws.merge_cells('B2:B3')
    for m in muns:
        sums = [0] * 10
        for s in schools:
            if s['mun'] != m or s['rcoi'] not in data: continue
            row = [s['rcoi'], s['name']]
            for k, subj in enumerate(['Русский язык', 'Математика']):
                r = data[s['rcoi']].get(subj)
                if r is None: row += [None] * 7; continue
                code, name, n, ms, mm, n2, n3, n4, n5 = r
                vals = list(map(int, (n, n2, n3, n4, n5)))
                for q, v in enumerate(vals): sums[5 * k + q] += v
                row += vals + [float(ms.replace(',', '.')), float(mm.replace(',', '.'))]
            ws.append(row)
        ws.append([None, f'Итого по {m}'] + sums[:5] + [None, None] + sums[5:] + [None, None])
    wb.save(f'{OUT}/ОГЭ {year} по ОО.xlsx')

# ЕГЭ: «Итоги ЕГЭ-25.xlsx», a sheet per subject.
for year in range(2021, 2026):
    wb = openpyxl.Workbook(); wb.remove(wb.active)
    for sheet, data in rows(f'{DEMO}/ЕГЭ {year}.xlsx').items():
        hi = next(i for i, r in enumerate(data) if r[0] == 'Код ОО')
        ws = wb.create_sheet(sheet[:31])
        ws.append(['Код ОО', 'Наименование ОО', 'Сдавали (чел.)', 'Средний тестовый балл', 'Не преодолели минимальный порог (чел.)'])
        for r in data[hi + 1:]:
            if r[0] is None: continue
            ws.append([r[0], r[1], int(r[2]), r[3], int(r[4])])
    wb.save(f'{OUT}/Итоги ЕГЭ-{str(year)[2:]}.xlsx')

# Olympiad: ФИО-like participant, short school name with the municipality, stage in the sheet name.
for path in sorted(glob.glob(f'{DEMO}/Протокол МЭ ВсОШ *.xlsx')):
    data = list(rows(path).values())[0]
    yy = re.search(r'(\d{4}-\d\d)', path).group(1)
    hi = next(i for i, r in enumerate(data) if r[0] == 'Код ОО')
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'МЭ ВсОШ'
    ws.append(['Муниципалитет', 'ОО', 'ФИО участника', 'Класс', 'Предмет', 'Балл', 'Статус'])
    for r in data[hi + 1:]:
        if r[0] is None: continue
        s = by_code[r[0]]
        ws.append([s['mun'], s['name'], f'Участник {r[1]}', int(r[2]), r[3], r[4], r[5]])
    wb.save(f'{OUT}/Олимпиада {yy}.xlsx')

# Contingent: «Число обучающихся в N классе», «Учебный год» 2024/2025.
data = list(rows(f'{DEMO}/контингент.xlsx').values())[0]
wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'Контингент'
ws.append(['Учебный год', 'Код ОО'] + [f'Число обучающихся в {g} классе' for g in range(1, 12)])
for r in data[1:]:
    y = int(r[0])
    ws.append([f'{y - 1}/{y}', r[1]] + [int(v or 0) for v in r[2:13]])
wb.save(f'{OUT}/Контингент.xlsx')

# Passports: name + municipality, no code.
for path in sorted(glob.glob(f'{DEMO}/Социальный паспорт *.xlsx')):
    data = list(rows(path).values())[0]
    h = data[0]; year = int(data[1][0])
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'Паспорт'
    ws.append(['Муниципальное образование', 'Наименование ОО'] + h[2:])
    for r in data[1:]:
        s = by_code[r[1]]
        ws.append([s['mun'], s['name']] + [int(v) for v in r[2:]])
    wb.save(f'{OUT}/Социальный паспорт {year - 1}-{year}.xlsx')
print('ok', len(os.listdir(OUT)))
