import { describe, expect, it } from 'vitest';
import { isGibberishWord } from './gibberish.ts';

describe('isGibberishWord', () => {
  it('does not flag names from many languages', () => {
    const names = `Nguyen Przybylski Siobhan Xiaoming Oluwaseun Mkhize Tjarks Tkachenko Zbigniew Szczepanski
      Wojciechowski Chukwuemeka Johannsdottir Llewellyn Gwyneth Aoife Eoghan Niamh Tadhg Xochitl Quetzalcoatl
      Phuong Huynh Srinivasan Lakshmi Subramanyam Kyrgyz Tsvetkov Mkrtchyan Mtshali Dlamini Hlongwane Nxumalo
      Ndlovu Gqoba Xhosa Ntombizodwa Oyelaran Ikechukwu Gyorgy Szabolcs Krzysztof Grzegorz Przemyslaw
      Wlodzimierz Brzezinski Bozidar Tvrtko Zeljko Djordje Gjorgji Kwabena Abdulrahman Bhattacharya
      Chakraborty Mukhopadhyay Ljungqvist Sjostrom Thorbjorn Vsevolod Mstislav Schwarzkopf Strzelczyk
      Khmelnytskyi Wrzesniewski Kshitij Tsegaye Getachew Tshabalala Mthembu Ngcobo Dzhugashvili Shevardnadze
      Tskhinvali Brzeczyszczykiewicz Pszczyna Nwachukwu Mphahlele Knightsbridge Llanfairpwllgwyngyll
      McDonald JohnMcDonald DeShawn MacKenzie LaToya VanDerBeek`.split(/\s+/);
    expect(names.filter((name) => isGibberishWord(name))).toEqual([]);
  });

  it('does not flag ordinary English words or emphasis', () => {
    const words = 'available appointment financing strengths rhythms Worcestershire Mmmmmm zzzzzzz'.split(
      ' ',
    );
    expect(words.filter((word) => isGibberishWord(word))).toEqual([]);
  });

  it('flags random strings, mixed-case noise and keyboard mashing', () => {
    const noise =
      'xKjdhsYTq qwzxkjhd asdfghjk GEWDVQGNFQVN qkdjtqsscr cvstceuyxxkxgnx bFhGkQzWp zxcvbnm'.split(' ');
    expect(noise.filter((word) => !isGibberishWord(word))).toEqual([]);
  });

  it('leaves words under six letters alone', () => {
    expect(isGibberishWord('xkqzj')).toBe(false);
  });

  it('judges a slice of a longer text', () => {
    const text = 'hello qwzxkjhd world';
    expect(isGibberishWord(text, 6, 14)).toBe(true);
    expect(isGibberishWord(text, 0, 5)).toBe(false);
  });
});
